import iconv from 'iconv-lite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, datasetInput, importCsv, setUpStewards, type Stewards } from '../helpers/admin';

let t: TestApp;
let who: Stewards;

beforeAll(async () => {
  t = await createTestApp({ MAX_IMPORT_BYTES: '4096' });
  who = await setUpStewards(t);
  expect((await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('bad-input'))).status).toBe(201);
});
afterAll(async () => t.close());

async function expectNothingLeft() {
  const dataset = await (await call(t, who.steward, 'GET', '/v1/admin/datasets/bad-input')).json();
  expect(dataset.versions).toEqual([]);
  const prefix = `ds_${dataset.id.replace(/-/g, '')}_%`;
  const staged = await t.database.db.rows(sql`select table_name from information_schema.tables where table_schema in ('staging', 'published') and table_name like ${prefix}`);
  expect(staged).toEqual([]);
  const events = await t.database.db.rows(sql`select action from dataset_events where action = 'version_imported' and dataset_id = ${dataset.id}`);
  expect(events).toEqual([]);
}

async function expectRefused(body: string | Uint8Array<ArrayBuffer>, status: number, code: string, locations: string[]) {
  const response = await importCsv(t, who.steward, 'bad-input', body);
  expect(response.status).toBe(status);
  const problem = await response.json();
  expect(problem.code).toBe(code);
  expect((problem.errors ?? []).map((issue: { location: string }) => issue.location)).toEqual(locations);
  await expectNothingLeft();
  return problem;
}

describe('a bad CSV fails as a whole and leaves nothing behind', () => {
  it('unterminated quote', async () => {
    await expectRefused('区,说明\n蜀山区,"没有结束\n包河区,好\n', 422, 'csv_invalid', ['line 2']);
  });

  it('ragged rows, each with its line', async () => {
    const problem = await expectRefused('区,事项,天数\n蜀山区,补办,3\n包河区,签注\n庐阳区,登记,5,多余\n', 422, 'csv_invalid', ['line 3', 'line 4']);
    expect(problem.errors[0].message).toMatch(/2 fields|fields/);
  });

  it('duplicate and empty headers', async () => {
    await expectRefused('区,区,,天数\n蜀山区,a,b,3\n', 422, 'csv_invalid', ['line 1, column 2', 'line 1, column 3']);
  });

  it('undecodable bytes', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('区,说明\n蜀山区,'), 0xff, 0xfe, 0x41, 0x0a]);
    const problem = await expectRefused(bytes, 422, 'csv_invalid', ['line 2']);
    expect(problem.errors[0].message).toMatch(/decod|UTF-8|encoding/i);
  });

  it('an empty file and a header without rows', async () => {
    await expectRefused('', 422, 'csv_invalid', ['line 1']);
    await expectRefused('区,事项\n', 422, 'csv_invalid', ['line 2']);
  });

  it('a file over the configured size', async () => {
    const big = `区,说明\n${'蜀山区,材料齐全\n'.repeat(400)}`;
    await expectRefused(big, 413, 'payload_too_large', []);
  });

  it('a value that does not fit the type fixed by the first import', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('typed'));
    expect((await importCsv(t, who.steward, 'typed', '区,天数\n蜀山区,3\n包河区,5\n')).status).toBe(201);
    const response = await importCsv(t, who.steward, 'typed', '区,天数\n蜀山区,3\n包河区,五天\n');
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.errors).toEqual([{ location: 'line 3, column "天数"', message: expect.stringContaining('integer') }]);
    expect(JSON.stringify(problem)).not.toContain('五天');
    const versions = (await (await call(t, who.steward, 'GET', '/v1/admin/datasets/typed')).json()).versions;
    expect(versions.map((version: { number: number }) => version.number)).toEqual([1]);
  });

  it('a header that does not match the schema of the first import', async () => {
    const response = await importCsv(t, who.steward, 'typed', '区,办理天数\n蜀山区,3\n');
    expect(response.status).toBe(422);
    expect((await response.json()).errors.map((issue: { location: string }) => issue.location)).toEqual(['header "天数"', 'header "办理天数"']);
  });

  it('a body that is not CSV', async () => {
    const response = await t.app.request('/v1/admin/datasets/bad-input/versions', {
      method: 'POST',
      headers: { authorization: `Bearer ${who.steward}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    await expectNothingLeft();
  });
});

describe('CSV as departments export it', () => {
  it('GB18030 with tabs, detected', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('gbk-file'));
    const bytes = iconv.encode('网点名称\t所在区\n蜀山区政务服务中心\t蜀山区\n包河区政务服务中心\t包河区\n', 'gb18030');
    const response = await importCsv(t, who.steward, 'gbk-file', new Uint8Array(bytes));
    expect(response.status).toBe(201);
    const version = await response.json();
    expect(version.sourceEncoding).toBe('gb18030');
    expect(version.fields.map((field: { title: string }) => field.title)).toEqual(['网点名称', '所在区']);
  });

  it('UTF-8 with a BOM, quoted fields and CRLF', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('bom-file'));
    const response = await importCsv(t, who.steward, 'bom-file', '\uFEFF名称,说明\r\n"合肥市, 蜀山区","他说""好"""\r\n');
    expect(response.status).toBe(201);
    expect((await response.json()).fields[0].title).toBe('名称');
  });
});
