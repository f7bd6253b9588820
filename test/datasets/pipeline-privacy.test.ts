import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeForDetection } from '../../src/privacy/index';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, datasetInput, importCsv, setUpStewards, type Stewards } from '../helpers/admin';
import { syntheticCases } from '../helpers/synthetic-cases';

let t: TestApp;
let who: Stewards;
const responses: string[] = [];
const cases = syntheticCases(400);

async function recorded(response: Response) {
  const text = await response.clone().text();
  responses.push(text);
  return response;
}

beforeAll(async () => {
  t = await createTestApp();
  who = await setUpStewards(t);
});
afterAll(async () => t.close());

/** Every row of every table the platform owns, as text. */
async function everythingStored(): Promise<string> {
  const tables = await t.database.db.rows<{ schema: string; name: string }>(
    sql`select table_schema as schema, table_name as name from information_schema.tables where table_schema in ('public', 'staging', 'published') and table_type = 'BASE TABLE'`,
  );
  const dumps: string[] = [];
  for (const table of tables) {
    const rows = await t.database.db.rows(sql.raw(`select * from "${table.schema}"."${table.name}"`));
    dumps.push(JSON.stringify(rows));
  }
  return dumps.join('\n');
}

describe('a CSV full of personal data, from import to publication', () => {
  it('imports, classifies, submits, approves and publishes without any personal value anywhere', async () => {
    expect((await recorded(await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('service-cases', { personLevel: true, declarations: { 所在区: { type: 'plain', role: 'quasi_identifier', action: 'keep' }, 年龄: { type: 'age', role: 'quasi_identifier', action: 'generalize' } } })))).status).toBe(201);

    const imported = await recorded(await importCsv(t, who.steward, 'service-cases', cases.csv));
    expect(imported.status).toBe(201);
    const version = await imported.json();
    expect(version).toMatchObject({ number: 1, status: 'draft', rowCount: 400 });
    const byTitle = Object.fromEntries(version.classification.columns.map((column: { title: string }) => [column.title, column]));
    expect(byTitle['身份证号'].classification).toMatchObject({ type: 'resident_id', action: 'drop', source: 'detected' });
    expect(byTitle['联系电话'].classification).toMatchObject({ type: 'mobile', action: 'drop' });
    expect(byTitle['银行卡号'].classification).toMatchObject({ type: 'bank_card', action: 'drop' });
    expect(byTitle['申请人'].classification).toMatchObject({ type: 'person_name', action: 'drop' });
    expect(byTitle['备注'].classification).toMatchObject({ type: 'free_text', action: 'mask' });
    expect(byTitle['年龄'].classification).toMatchObject({ type: 'age', action: 'generalize', source: 'declared' });
    expect(byTitle['身份证号'].samples.length).toBeGreaterThan(0);
    for (const sample of byTitle['身份证号'].samples) expect(sample).toContain('*');
    expect(version.classification.unclassified).toEqual([]);

    const submitted = await recorded(await call(t, who.steward, 'POST', '/v1/admin/datasets/service-cases/versions/1/submit'));
    if (submitted.status !== 200) console.log(await submitted.clone().text());
    expect(submitted.status).toBe(200);
    expect((await submitted.json()).gate).toMatchObject({ passed: true, kAnonymity: { k: 5 } });

    const approved = await recorded(await call(t, who.approver, 'POST', '/v1/admin/datasets/service-cases/versions/1/approve'));
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'published', reviewedBy: 'wang.fang' });

    const dataset = await (await recorded(await call(t, who.steward, 'GET', '/v1/admin/datasets/service-cases'))).json();
    expect(dataset.currentVersion).toBe(1);

    // The published table holds only transformed values: the remarks are masked, ages banded.
    const published = await t.database.db.rows<Record<string, unknown>>(sql.raw(`select * from published."ds_${dataset.id.replace(/-/g, '')}_v1" order by _kf_row limit 3`));
    const fieldNames = version.fields.filter((field: { classification: { action: string } }) => field.classification.action !== 'drop').map((field: { name: string }) => field.name);
    expect(Object.keys(published[0]!).sort()).toEqual(['_kf_row', ...fieldNames].sort());
    const ageColumn = version.fields.find((field: { title: string }) => field.title === '年龄').name;
    expect(String(published[0]![ageColumn])).toMatch(/^\d+-\d+$/);
  });

  it('leaves no raw or normalized personal value, nor its unsalted SHA-256, in storage, reports, logs or responses', async () => {
    const haystacks = { storage: await everythingStored(), logs: t.logLines.join('\n'), responses: responses.join('\n') };
    const needles = cases.secrets.flatMap((secret) => {
      const normalized = normalizeForDetection(secret);
      return [secret, normalized, createHash('sha256').update(secret).digest('hex'), createHash('sha256').update(normalized).digest('hex')];
    });
    for (const [where, haystack] of Object.entries(haystacks)) {
      const leaked = needles.filter((needle) => needle.length >= 2 && haystack.includes(needle));
      expect(leaked, `${where} leaks ${leaked.length} values`).toEqual([]);
    }
  });
});
