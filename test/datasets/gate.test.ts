import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, datasetInput, importCsv, setUpStewards, type Stewards } from '../helpers/admin';

let t: TestApp;
let who: Stewards;

beforeAll(async () => {
  t = await createTestApp();
  who = await setUpStewards(t);
});
afterAll(async () => t.close());

const PLAIN = '区,事项,办理天数\n蜀山区,社保卡补办,3\n包河区,居住证签注,5\n';

async function submitFindings(slug: string) {
  const response = await call(t, who.steward, 'POST', `/v1/admin/datasets/${slug}/versions/1/submit`);
  expect(response.status).toBe(422);
  const body = await response.json();
  const version = await (await call(t, who.steward, 'GET', `/v1/admin/datasets/${slug}/versions/1`)).json();
  expect(version.status).toBe('draft');
  expect(version.gate.passed).toBe(false);
  return body.gate.findings as { rule: string; column?: string; message: string }[];
}

async function stagedTable(slug: string) {
  const id = (await (await call(t, who.steward, 'GET', `/v1/admin/datasets/${slug}`)).json()).id as string;
  return `staging."ds_${id.replace(/-/g, '')}_v1"`;
}

describe('the publication gate fails closed', () => {
  it('on an unclassified column', async () => {
    // Some cells hold phone numbers, most do not: too few to classify, so a steward must declare it.
    const rows = Array.from({ length: 40 }, (_, index) => `蜀山区,${index % 10 === 0 ? `13${String(800138000 + index)}` : '周一至周五'}`);
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('gate-unclassified'));
    const imported = await (await importCsv(t, who.steward, 'gate-unclassified', `区,说明\n${rows.join('\n')}\n`)).json();
    expect(imported.classification.unclassified).toEqual(['说明']);
    expect(imported.classification.columns[1].appliedAction).toBe('redact');
    const findings = await submitFindings('gate-unclassified');
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'unclassified_column', column: '说明' }));
  });

  it('on important or core data', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('gate-grade', { dataGrade: 'important' }));
    expect((await importCsv(t, who.steward, 'gate-grade', PLAIN)).status).toBe(201);
    expect(await submitFindings('gate-grade')).toContainEqual(expect.objectContaining({ rule: 'grade_blocks_opening' }));
  });

  it('on a not-open dataset: nothing is even imported', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('gate-not-open', { openTier: 'not_open' }));
    const response = await importCsv(t, who.steward, 'gate-not-open', PLAIN);
    expect(response.status).toBe(422);
    expect((await response.json()).detail).toContain('not open');
  });

  it('on a secret field that would be published', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('gate-secret'));
    expect((await importCsv(t, who.steward, 'gate-secret', PLAIN)).status).toBe(201);
    // The policy never lets a steward keep a secret; the gate must catch it even if a version says otherwise.
    await t.database.db.rows(
      sql`update dataset_versions set fields = jsonb_set(fields, '{2,classification,role}', '"commercial_secret"') where table_name like ${'%_v1'} and dataset_id = (select id from datasets where slug = 'gate-secret')`,
    );
    expect(await submitFindings('gate-secret')).toContainEqual(expect.objectContaining({ rule: 'secret_in_output', column: '办理天数' }));
  });

  it('on an identifier found in the stored rows of a column not declared as that type', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('gate-scan'));
    expect((await importCsv(t, who.steward, 'gate-scan', PLAIN)).status).toBe(201);
    const table = await stagedTable('gate-scan');
    const fields = (await (await call(t, who.steward, 'GET', '/v1/admin/datasets/gate-scan')).json()).fields;
    const itemColumn = fields.find((field: { title: string }) => field.title === '事项').name;
    await t.database.db.rows(sql.raw(`update ${table} set "${itemColumn}" = '请致电13800138000' where _kf_row = 1`));
    expect(await submitFindings('gate-scan')).toContainEqual(expect.objectContaining({ rule: 'undeclared_identifier', column: '事项' }));
  });

  it('on k-anonymity below k over the declared quasi-identifiers of person-level data', async () => {
    const rows = ['区,年龄,事项', ...Array.from({ length: 30 }, (_, index) => `${index < 29 ? '蜀山区' : '包河区'},${30 + (index % 3)},社保卡补办`)];
    await call(
      t,
      who.steward,
      'POST',
      '/v1/admin/datasets',
      datasetInput('gate-k', { personLevel: true, declarations: { 区: { type: 'plain', role: 'quasi_identifier', action: 'keep' }, 年龄: { type: 'age', role: 'quasi_identifier', action: 'generalize' } } }),
    );
    expect((await importCsv(t, who.steward, 'gate-k', `${rows.join('\n')}\n`)).status).toBe(201);
    const findings = await submitFindings('gate-k');
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'k_anonymity' }));
    expect(findings.find((finding) => finding.rule === 'k_anonymity')!.message).toContain('only 1 rows');
  });

  it('and runs again at approval, on the rows as they are then', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('gate-again'));
    expect((await importCsv(t, who.steward, 'gate-again', PLAIN)).status).toBe(201);
    expect((await call(t, who.steward, 'POST', '/v1/admin/datasets/gate-again/versions/1/submit')).status).toBe(200);
    const table = await stagedTable('gate-again');
    const fields = (await (await call(t, who.steward, 'GET', '/v1/admin/datasets/gate-again')).json()).fields;
    await t.database.db.rows(sql.raw(`update ${table} set "${fields[1].name}" = '身份证34010419900307126X' where _kf_row = 2`));
    const response = await call(t, who.approver, 'POST', '/v1/admin/datasets/gate-again/versions/1/approve');
    expect(response.status).toBe(422);
    const version = await (await call(t, who.steward, 'GET', '/v1/admin/datasets/gate-again/versions/1')).json();
    expect(version.status).toBe('submitted');
    expect((await (await call(t, who.steward, 'GET', '/v1/admin/datasets/gate-again')).json()).currentVersion).toBeNull();
  });
});
