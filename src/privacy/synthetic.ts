// Synthetic, checksum-valid identifiers for tests and demo data. Seeded, so a failing
// property test or a demo dataset can be reproduced exactly. Every value is made up; the
// region codes and prefixes are real only so that validators accept them.
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from './detectors/credit-code';
import { luhnCheckDigit } from './detectors/bank-card';
import { PLATE_PROVINCES } from './detectors/licence-plate';
import { COMMON_SURNAMES, COMPOUND_SURNAMES } from './detectors/person-name';
import { residentIdCheckChar } from './detectors/resident-id';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[] | string): T;
  digits(count: number): string;
}

/** mulberry32: tiny, fast, and good enough for test data (not for secrets). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[] | string): T => items[int(0, items.length - 1)] as T,
    digits: (count) => Array.from({ length: count }, () => String(int(0, 9))).join(''),
  };
}

// County-level region codes from a few provinces (合肥蜀山, 北京东城, 上海黄浦, 深圳南山,
// 成都武侯, 杭州西湖, 西安雁塔, 武汉洪山) plus the Hong Kong/Macau residence-permit codes.
const REGION_CODES = ['340104', '110101', '310101', '440305', '510107', '330106', '610113', '420111', '810000', '820000'];
const CREDIT_CODE_PREFIXES = ['91', '92', '93', '11', '12', '51', '52', '53', 'Y1'];
const CARD_PREFIXES = ['622202', '621700', '622848', '623668', '620522', '625965'];
const MOBILE_PREFIXES = ['130', '133', '135', '138', '139', '150', '152', '158', '166', '177', '180', '186', '189', '199'];
const AREA_CODES = ['010', '021', '020', '025', '0551', '0571', '0755', '028', '0553', '0731'];
const GIVEN_NAME_CHARS = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文玉兰红志宏晓燕俊鹏飞';
const DISTRICTS = [
  '安徽省合肥市蜀山区', '安徽省合肥市包河区', '北京市东城区', '上海市黄浦区', '广东省深圳市南山区',
  '四川省成都市武侯区', '浙江省杭州市西湖区', '安徽省芜湖市镜湖区',
];
const STREETS = ['长江西路', '黄山路', '望江西路', '人民路', '解放路', '中山路', '建设大道', '青年街'];

export function syntheticResidentId(rng: Rng, options: { birthYears?: [number, number] } = {}): string {
  const [fromYear, toYear] = options.birthYears ?? [1940, 2015];
  const year = rng.int(fromYear, toYear);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  const body = `${rng.pick(REGION_CODES)}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${rng.digits(3)}`;
  return body + residentIdCheckChar(body);
}

export function syntheticCreditCode(rng: Rng): string {
  // Residence-permit regions (81/82) are not business registration regions.
  const region = rng.pick(REGION_CODES.slice(0, 8));
  let organisation = '';
  for (let i = 0; i < 9; i++) organisation += rng.pick(CREDIT_CODE_ALPHABET);
  const body = `${rng.pick(CREDIT_CODE_PREFIXES)}${region}${organisation}`;
  return body + creditCodeCheckChar(body);
}

export function syntheticBankCard(rng: Rng, lengthDigits: number = rng.pick([16, 17, 19])): string {
  if (lengthDigits < 12 || lengthDigits > 19) throw new RangeError('bank cards have 12-19 digits');
  const prefix = rng.pick(CARD_PREFIXES);
  const body = prefix + rng.digits(lengthDigits - prefix.length - 1);
  return body + luhnCheckDigit(body);
}

export function syntheticMobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

/** With area code and hyphen, e.g. `0551-62345678`. */
export function syntheticLandline(rng: Rng): string {
  const area = rng.pick(AREA_CODES);
  const subscriberDigits = area.length === 3 ? 8 : rng.pick([7, 8]);
  return `${area}-${rng.int(2, 8)}${rng.digits(subscriberDigits - 1)}`;
}

/** Addresses at the reserved example.* domains only. */
export function syntheticEmail(rng: Rng): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let local = '';
  for (let i = rng.int(3, 10); i > 0; i--) local += rng.pick(letters);
  return `${local}${rng.int(0, 1) === 1 ? `.${rng.digits(2)}` : ''}@${rng.pick(['example.com', 'example.org', 'example.net'])}`;
}

export function syntheticPassport(rng: Rng): string {
  if (rng.int(0, 2) === 0) return `E${rng.pick('ABCDEFGHJKLMNPQRSTUVWXYZ')}${rng.digits(7)}`;
  return `${rng.pick(['E', 'G'])}${rng.digits(8)}`;
}

export function syntheticHkMacauPermit(rng: Rng): string {
  if (rng.int(0, 1) === 0) return `C${rng.pick('ABCDEFGHJKLMNPQRSTUVWXYZ')}${rng.digits(7)}`;
  return `C${rng.digits(8)}`;
}

export function syntheticLicencePlate(rng: Rng): string {
  const office = rng.pick('ABCDEFGHJK');
  if (rng.int(0, 3) === 0) return `${rng.pick(PLATE_PROVINCES)}${office}${rng.pick('DF')}${rng.int(0, 9)}${rng.digits(4)}`;
  return `${rng.pick(PLATE_PROVINCES)}${office}${rng.digits(5)}`;
}

export function syntheticPersonName(rng: Rng): string {
  const surname = rng.int(0, 9) === 0 ? rng.pick(COMPOUND_SURNAMES) : rng.pick(COMMON_SURNAMES.slice(0, 100));
  let given = '';
  for (let i = rng.int(1, 2); i > 0; i--) given += rng.pick(GIVEN_NAME_CHARS);
  return surname + given;
}

export function syntheticAddress(rng: Rng): string {
  const building = rng.int(0, 1) === 1 ? `${rng.int(1, 30)}栋${rng.int(1, 4)}单元${rng.int(101, 2802)}室` : '';
  return `${rng.pick(DISTRICTS)}${rng.pick(STREETS)}${rng.int(1, 999)}号${building}`;
}
