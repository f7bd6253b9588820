// Synthetic data for the capabilities, from a fixed seed: licences (stored as keyed
// HMACs only; `demoLicences` regenerates the plain values for docs and tests) and
// service guides for the service item codes of the demo `service-items` dataset.
// Every value is made up.
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { createRng, syntheticCreditCode, syntheticPersonName, type Rng } from '../privacy/synthetic';
import { holderHmac, licenceKey, numberHmac, type LicenceType } from './licence-verification';
import { licenceRecords, serviceGuides } from './tables';

export const CAPABILITY_SEED = 20_260_301;
const LICENCE_COUNT = 240;

const NAME_WORDS = ['科大', '庐州', '包公', '巢湖', '天鹅', '徽韵', '新桥', '翡翠', '紫蓬', '岱山', '逍遥', '明珠'];
const TRADES: Record<LicenceType, string[]> = {
  business_licence: ['科技', '信息', '商贸', '建设', '智能', '文化'],
  food_business: ['餐饮', '食品', '小吃', '面馆'],
  drug_retail: ['大药房', '医药', '药店'],
};

export interface DemoLicence {
  type: LicenceType;
  number: string;
  holderName: string;
  validFrom: string;
  validUntil: string;
  revoked: boolean;
}

const date = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

function licenceNumber(rng: Rng, type: LicenceType): string {
  if (type === 'business_licence') return syntheticCreditCode(rng);
  if (type === 'food_business') return `JY13401${rng.int(0, 9)}${rng.digits(8)}`;
  return `皖AA551${rng.digits(4)}`;
}

/** The plain values behind the seeded licences (the database holds only their HMACs). */
export function demoLicences(seed: number = CAPABILITY_SEED): DemoLicence[] {
  const rng = createRng(seed);
  const types: LicenceType[] = ['business_licence', 'food_business', 'drug_retail'];
  return Array.from({ length: LICENCE_COUNT }, (_, index) => {
    const type = types[index % types.length]!;
    // Sole traders hold licences in their own (synthetic) name.
    const soleTrader = rng.int(0, 4) === 0;
    const holderName = soleTrader ? `${syntheticPersonName(rng)}（个体工商户）` : `合肥${rng.pick(NAME_WORDS)}${rng.pick(TRADES[type])}有限公司`;
    const fromYear = rng.int(2018, 2025);
    const month = rng.int(1, 12);
    const day = rng.int(1, 28);
    // One in eight expired before 2026; one in ten revoked.
    const expired = index % 8 === 5;
    const untilYear = expired ? rng.int(2023, 2025) : fromYear + 5 < 2027 ? 2027 + rng.int(0, 3) : fromYear + 5;
    return { type, number: licenceNumber(rng, type), holderName, validFrom: date(Math.min(fromYear, untilYear - 1), month, day), validUntil: date(untilYear, month, day), revoked: index % 10 === 7 };
  });
}

const ITEMS: { item: string; department: string; materials: string[]; fee: string }[] = [
  { item: '社保卡补办', department: '市人力资源和社会保障局', materials: ['居民身份证原件', '近期免冠一寸白底照片'], fee: '不收费' },
  { item: '居住证签注', department: '市公安局', materials: ['居住证原件', '居民身份证原件', '居住证明（租赁合同或房产证明）'], fee: '不收费' },
  { item: '个体工商户设立登记', department: '市市场监督管理局', materials: ['个体工商户登记申请书', '经营者身份证明', '经营场所使用证明'], fee: '不收费' },
  { item: '不动产登记', department: '市自然资源和规划局', materials: ['不动产登记申请书', '申请人身份证明', '不动产权属来源证明材料', '完税凭证'], fee: '住宅每件 80 元' },
  { item: '公积金提取', department: '市住房公积金管理中心', materials: ['居民身份证原件', '本人银行卡', '提取原因证明材料'], fee: '不收费' },
  { item: '医保参保登记', department: '市医疗保障局', materials: ['居民身份证或户口簿', '参保登记表'], fee: '不收费' },
  { item: '出生医学证明办理', department: '市卫生健康委员会', materials: ['父母双方居民身份证', '结婚证（如有）', '分娩机构出具的出生信息'], fee: '不收费' },
  { item: '食品经营许可', department: '市市场监督管理局', materials: ['食品经营许可申请书', '营业执照复印件', '经营场所平面图', '食品安全管理制度'], fee: '不收费' },
];
const DISTRICTS = ['蜀山区', '包河区', '庐阳区', '瑶海区', '高新区', '经开区', '新站区', '滨湖新区'];
const SERVICE_ITEM_COUNT = 120;

/** Inserts the synthetic licences and service guides; running it again adds nothing. */
export async function seedCapabilityData(db: Database, secret: string, clock: Clock): Promise<{ licences: number; guides: number }> {
  const key = licenceKey(secret);
  const licences = demoLicences().map((licence) => ({
    licenceType: licence.type,
    numberHmac: numberHmac(key, licence.type, licence.number),
    holderHmac: holderHmac(key, licence.type, licence.number, licence.holderName),
    validFrom: licence.validFrom,
    validUntil: licence.validUntil,
    revoked: licence.revoked,
  }));
  const rng = createRng(CAPABILITY_SEED + 1);
  const updatedAt = new Date(clock.nowMs());
  const guides = Array.from({ length: SERVICE_ITEM_COUNT }, (_, index) => {
    const spec = ITEMS[index % ITEMS.length]!;
    const online = rng.int(0, 3) !== 0;
    return {
      // The same codes as the demo service-items dataset.
      code: `340100-${String(1000 + index).padStart(6, '0')}-00${1 + (index % 3)}`,
      name: `${spec.item}（${DISTRICTS[index % DISTRICTS.length]}）`,
      department: spec.department,
      materials: spec.materials,
      timeLimitDays: rng.int(1, 20),
      fee: spec.fee,
      onlineAvailable: online,
      visitsNeeded: online ? rng.int(0, 1) : rng.int(1, 2),
      updatedAt,
    };
  });
  return db.orm.transaction(async (tx) => {
    const insertedLicences = await tx.insert(licenceRecords).values(licences).onConflictDoNothing().returning({ id: licenceRecords.id });
    const insertedGuides = await tx.insert(serviceGuides).values(guides).onConflictDoNothing().returning({ code: serviceGuides.code });
    return { licences: insertedLicences.length, guides: insertedGuides.length };
  });
}
