// Demo data for a fresh embedded install: synthetic, Hefei-flavoured datasets that go
// through the same pipeline a steward uses (import → classify → submit → approve), so
// a newcomer sees published data and the pipeline proves itself on first start. The
// case records carry generated, checksum-valid ID numbers and phones that the policy
// must strip. Fixed seed; no real person's data anywhere.
import { Readable } from 'node:stream';
import type { StewardIdentity } from '../auth/identity';
import type { Logger } from '../logger';
import { createRng, syntheticCreditCode, syntheticMobile, syntheticPersonName, syntheticResidentId, type Rng } from '../privacy/synthetic';
import { createDataset, type DatasetInput } from './create-dataset';
import { createPublisher } from './create-publisher';
import { importVersion, type ImportContext } from './import-version';
import { approveVersion } from './review/approve-version';
import { submitVersion } from './review/submit-version';

export const DEMO_SEED = 20_261_128;

const DISTRICTS = ['蜀山区', '包河区', '庐阳区', '瑶海区', '高新区', '经开区', '新站区', '滨湖新区'];
const STREETS = ['长江西路', '黄山路', '望江西路', '徽州大道', '金寨路', '繁华大道', '临泉路', '方兴大道'];
const INDUSTRIES = ['软件和信息技术服务业', '批发和零售业', '制造业', '餐饮业', '建筑业', '科学研究和技术服务业'];
const NAME_WORDS = ['科大', '庐州', '包公', '巢湖', '天鹅', '徽韵', '新桥', '翡翠', '紫蓬', '岱山', '逍遥', '明珠'];
const TRADE_WORDS = ['科技', '信息', '商贸', '餐饮', '建设', '智能', '新材料', '文化'];
const ITEMS: [string, string][] = [
  ['社保卡补办', '市人力资源和社会保障局'],
  ['居住证签注', '市公安局'],
  ['个体工商户设立登记', '市市场监督管理局'],
  ['不动产登记', '市自然资源和规划局'],
  ['公积金提取', '市住房公积金管理中心'],
  ['医保参保登记', '市医疗保障局'],
  ['出生医学证明办理', '市卫生健康委员会'],
  ['食品经营许可', '市市场监督管理局'],
];

interface DemoDataset {
  input: DatasetInput;
  csv: (rng: Rng) => string;
}

const base = {
  licence: 'CC-BY-4.0',
  updateFrequency: 'monthly',
  keywords: [] as string[],
  openTier: 'unconditional' as const,
  dataGrade: 'general' as const,
  personLevel: false,
  declarations: {},
};

const csvLine = (values: (string | number)[]) => values.map((value) => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value))).join(',');

export const DEMO_PUBLISHERS = [
  { slug: 'hefei-gov-services', name: '合肥市数据资源局（政务服务）' },
  { slug: 'hefei-market', name: '合肥市市场监督管理局' },
];

export const DEMO_DATASETS: DemoDataset[] = [
  {
    input: {
      ...base,
      slug: 'service-items',
      publisher: 'hefei-gov-services',
      title: '政务服务事项目录',
      description: '合肥市政务服务事项清单：事项编码、实施部门、法定办结时限、是否收费与网上可办情况（合成演示数据）。',
      theme: '政务服务',
      keywords: ['政务服务', '事项', '办事指南'],
      contact: '合肥市数据资源局 开放数据科',
    },
    csv: (rng) => {
      const lines = [csvLine(['事项编码', '事项名称', '实施部门', '办结时限（工作日）', '是否收费', '网上可办', '到现场次数'])];
      for (let index = 0; index < 120; index++) {
        const [item, department] = ITEMS[index % ITEMS.length]!;
        lines.push(
          csvLine([`340100-${String(1000 + index).padStart(6, '0')}-00${1 + (index % 3)}`, `${item}（${DISTRICTS[index % DISTRICTS.length]}）`, department, rng.int(1, 20), rng.int(0, 4) === 0 ? '是' : '否', rng.int(0, 3) === 0 ? '否' : '是', rng.int(0, 2)]),
        );
      }
      return lines.join('\n');
    },
  },
  {
    input: {
      ...base,
      slug: 'service-halls',
      publisher: 'hefei-gov-services',
      title: '社保卡办理网点',
      description: '可办理社保卡申领、补换的服务网点，含地址、服务电话、坐标与开放时间（合成演示数据）。',
      theme: '社会保障',
      keywords: ['社保卡', '网点', '便民服务'],
      contact: '合肥市数据资源局 开放数据科',
      updateFrequency: 'quarterly',
      declarations: {
        // A service hall's address and hotline are public information, not personal data.
        地址: { type: 'address', role: 'public', action: 'keep' },
        服务电话: { type: 'landline', role: 'public', action: 'keep' },
        经度: { type: 'plain', role: 'public', action: 'keep' },
        纬度: { type: 'plain', role: 'public', action: 'keep' },
      },
    },
    csv: (rng) => {
      const lines = [csvLine(['网点名称', '所在区', '地址', '服务电话', '经度', '纬度', '开放时间'])];
      for (let index = 0; index < 40; index++) {
        const district = DISTRICTS[index % DISTRICTS.length]!;
        lines.push(
          csvLine([
            `${district}社保卡服务网点${index + 1}号`,
            district,
            `安徽省合肥市${district}${rng.pick(STREETS)}${rng.int(1, 999)}号`,
            `0551-6${rng.digits(7)}`,
            (117.1 + rng.next() * 0.3).toFixed(5),
            (31.7 + rng.next() * 0.2).toFixed(5),
            index % 4 === 0 ? '周一至周六 9:00-17:00' : '周一至周五 9:00-17:00',
          ]),
        );
      }
      return lines.join('\n');
    },
  },
  {
    input: {
      ...base,
      slug: 'service-cases',
      publisher: 'hefei-gov-services',
      title: '政务服务办件记录',
      description: '政务服务办件的受理与办结情况。申请人姓名、身份证号和联系电话按分级分类政策删除，年龄以十岁为段，受理日期精确到月（合成演示数据）。',
      theme: '政务服务',
      keywords: ['办件', '政务服务', '效能'],
      contact: '合肥市数据资源局 开放数据科',
      personLevel: true,
      declarations: {
        所在区: { type: 'plain', role: 'quasi_identifier', action: 'keep' },
        年龄: { type: 'age', role: 'quasi_identifier', action: 'generalize' },
        受理日期: { type: 'birth_date', role: 'quasi_identifier', action: 'generalize' },
      },
    },
    csv: (rng) => {
      const lines = [csvLine(['办件编号', '事项名称', '申请人', '身份证号', '联系电话', '所在区', '年龄', '受理日期', '办理天数', '办件状态'])];
      for (let index = 0; index < 3000; index++) {
        lines.push(
          csvLine([
            `HF2026${String(index + 1).padStart(7, '0')}`,
            ITEMS[rng.int(0, ITEMS.length - 1)]![0],
            syntheticPersonName(rng),
            syntheticResidentId(rng, { birthYears: [1950, 2004] }),
            syntheticMobile(rng),
            DISTRICTS[rng.int(0, 3)]!,
            rng.int(20, 69),
            `2026-${String(rng.int(1, 10)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
            rng.int(0, 15),
            rng.int(0, 9) === 0 ? '办理中' : '已办结',
          ]),
        );
      }
      return lines.join('\n');
    },
  },
  {
    input: {
      ...base,
      slug: 'enterprise-registry',
      publisher: 'hefei-market',
      title: '企业登记信息',
      description: '在合肥市登记的企业：统一社会信用代码、名称、法定代表人、注册资本、成立日期与行业（合成演示数据）。',
      theme: '市场监管',
      keywords: ['企业', '登记', '信用代码'],
      contact: '合肥市市场监督管理局 信息中心',
      declarations: {
        // Legal representatives are published in the national enterprise credit registry.
        法定代表人: { type: 'person_name', role: 'public', action: 'keep' },
      },
    },
    csv: (rng) => {
      const lines = [csvLine(['统一社会信用代码', '企业名称', '法定代表人', '注册资本（万元）', '成立日期', '所在区', '行业'])];
      for (let index = 0; index < 600; index++) {
        lines.push(
          csvLine([
            syntheticCreditCode(rng),
            `合肥${rng.pick(NAME_WORDS)}${rng.pick(TRADE_WORDS)}有限公司`,
            syntheticPersonName(rng),
            rng.int(10, 5000),
            `20${String(rng.int(5, 25)).padStart(2, '0')}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
            rng.pick(DISTRICTS),
            rng.pick(INDUSTRIES),
          ]),
        );
      }
      return lines.join('\n');
    },
  },
];

const SEED_ADMIN: StewardIdentity = { subject: 'demo.admin', roles: ['admin'], publisher: undefined };
const steward = (publisher: string): StewardIdentity => ({ subject: 'demo.steward', roles: ['steward'], publisher });
const approver = (publisher: string): StewardIdentity => ({ subject: 'demo.approver', roles: ['approver'], publisher });

/** Seeds every demo dataset through the pipeline; returns the slugs published. */
export async function seedDemoData(ctx: ImportContext, logger: Logger): Promise<string[]> {
  const rng = createRng(DEMO_SEED);
  for (const publisher of DEMO_PUBLISHERS) await createPublisher(ctx.db, SEED_ADMIN, publisher, ctx.clock.nowMs());
  const published: string[] = [];
  for (const demo of DEMO_DATASETS) {
    const { publisher } = demo.input;
    const dataset = await createDataset(ctx.db, steward(publisher), demo.input, ctx.clock.nowMs());
    const source = Readable.from([Buffer.from(`${demo.csv(rng)}\n`, 'utf8')]);
    const version = await importVersion(ctx, steward(publisher), { datasetId: dataset.id, source });
    await submitVersion(ctx, steward(publisher), dataset.id, version.number);
    await approveVersion(ctx, approver(publisher), dataset.id, version.number);
    logger.info({ dataset: demo.input.slug, rows: version.rowCount }, 'demo dataset published');
    published.push(demo.input.slug);
  }
  return published;
}
