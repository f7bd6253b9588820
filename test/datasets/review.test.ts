import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, datasetInput, importCsv, PUBLISHER, setUpStewards, type Stewards } from '../helpers/admin';

let t: TestApp;
let who: Stewards;

const HALLS = '网点名称,所在区,服务电话,开放时间\n蜀山区政务服务中心,蜀山区,0551-65123456,周一至周五\n包河区政务服务中心,包河区,0551-63123456,周一至周六\n';
const DECLARE_PHONE = { 服务电话: { type: 'landline', role: 'public', action: 'keep' } };

async function tableExists(schema: string, versionTable: string) {
  const rows = await t.database.db.rows(sql`select 1 from information_schema.tables where table_schema = ${schema} and table_name = ${versionTable}`);
  return rows.length === 1;
}

async function datasetId(slug: string) {
  return (await (await call(t, who.steward, 'GET', `/v1/admin/datasets/${slug}`)).json()).id as string;
}

async function draft(slug: string) {
  const created = await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput(slug, { title: '政务服务中心', declarations: DECLARE_PHONE }));
  expect(created.status).toBe(201);
  const imported = await importCsv(t, who.steward, slug, HALLS);
  expect(imported.status).toBe(201);
  return imported.json();
}

beforeAll(async () => {
  t = await createTestApp();
  who = await setUpStewards(t);
});
afterAll(async () => t.close());

describe('who may do what', () => {
  it('refuses every admin route without a token', async () => {
    for (const [method, path] of [
      ['POST', '/v1/admin/datasets'],
      ['GET', '/v1/admin/datasets/x'],
      ['POST', '/v1/admin/datasets/x/versions'],
      ['POST', '/v1/admin/datasets/x/versions/1/approve'],
    ] as const) {
      expect((await t.app.request(path, { method })).status, `${method} ${path}`).toBe(401);
    }
  });

  it('only admins register publishers', async () => {
    expect((await call(t, who.steward, 'POST', '/v1/admin/publishers', { slug: 'rogue-bureau', name: 'x' })).status).toBe(403);
  });

  it('a steward cannot create or import for another publisher', async () => {
    expect((await call(t, who.foreignSteward, 'POST', '/v1/admin/datasets', datasetInput('foreign-try'))).status).toBe(403);
    await draft('halls-a');
    const response = await importCsv(t, who.foreignSteward, 'halls-a', HALLS);
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain('own publisher');
  });

  it('another publisher cannot even see the dataset', async () => {
    expect((await call(t, who.foreignSteward, 'GET', '/v1/admin/datasets/halls-a')).status).toBe(404);
    expect((await call(t, who.auditor, 'GET', '/v1/admin/datasets/halls-a')).status).toBe(200);
  });

  it('an approver of another publisher cannot approve, nor a steward', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-a/versions/1/submit');
    expect((await call(t, who.foreignApprover, 'POST', '/v1/admin/datasets/halls-a/versions/1/approve')).status).toBe(403);
    expect((await call(t, who.otherSteward, 'POST', '/v1/admin/datasets/halls-a/versions/1/approve')).status).toBe(403);
  });

  it('nobody approves what they submitted themselves', async () => {
    const both = await t.token({ sub: 'ma.li', roles: ['steward', 'approver'], publisher: PUBLISHER });
    await call(t, both, 'POST', '/v1/admin/datasets', datasetInput('halls-self', { declarations: DECLARE_PHONE }));
    expect((await importCsv(t, both, 'halls-self', HALLS)).status).toBe(201);
    expect((await call(t, both, 'POST', '/v1/admin/datasets/halls-self/versions/1/submit')).status).toBe(200);
    const response = await call(t, both, 'POST', '/v1/admin/datasets/halls-self/versions/1/approve');
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain('someone other than');
    expect((await call(t, who.approver, 'POST', '/v1/admin/datasets/halls-self/versions/1/approve')).status).toBe(200);
  });
});

describe('review transitions', () => {
  it('publishes atomically: the table moves to the published schema and the dataset flips', async () => {
    const version = await draft('halls-b');
    const id = await datasetId('halls-b');
    const table = `ds_${id.replace(/-/g, '')}_v1`;
    expect(await tableExists('staging', table)).toBe(true);
    expect(version.fields.find((field: { title: string }) => field.title === '服务电话').classification).toMatchObject({ type: 'landline', action: 'keep', source: 'declared' });
    expect((await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-b/versions/1/submit')).status).toBe(200);
    expect((await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-b/versions/1/submit')).status).toBe(409);
    const approved = await call(t, who.approver, 'POST', '/v1/admin/datasets/halls-b/versions/1/approve');
    expect(approved.status).toBe(200);
    expect(await tableExists('published', table)).toBe(true);
    expect(await tableExists('staging', table)).toBe(false);
    expect((await (await call(t, who.steward, 'GET', '/v1/admin/datasets/halls-b')).json()).currentVersion).toBe(1);
  });

  it('a rejection needs a reason and discards the rows', async () => {
    await draft('halls-c');
    await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-c/versions/1/submit');
    const noReason = await call(t, who.approver, 'POST', '/v1/admin/datasets/halls-c/versions/1/reject', { reason: '' });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).errors[0].location).toBe('body.reason');
    const missingBody = await call(t, who.approver, 'POST', '/v1/admin/datasets/halls-c/versions/1/reject');
    expect(missingBody.status).toBe(400);
    const rejected = await call(t, who.approver, 'POST', '/v1/admin/datasets/halls-c/versions/1/reject', { reason: '开放时间字段需要核对' });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({ status: 'rejected', reviewReason: '开放时间字段需要核对', reviewedBy: 'wang.fang' });
    const id = await datasetId('halls-c');
    expect(await tableExists('staging', `ds_${id.replace(/-/g, '')}_v1`)).toBe(false);
  });

  it('withdrawal takes a version offline at once and falls back to the previous one', async () => {
    await draft('halls-d');
    await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-d/versions/1/submit');
    await call(t, who.approver, 'POST', '/v1/admin/datasets/halls-d/versions/1/approve');
    expect((await importCsv(t, who.steward, 'halls-d', HALLS)).status).toBe(201);
    await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-d/versions/2/submit');
    await call(t, who.approver, 'POST', '/v1/admin/datasets/halls-d/versions/2/approve');
    expect((await (await call(t, who.steward, 'GET', '/v1/admin/datasets/halls-d')).json()).currentVersion).toBe(2);

    expect((await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-d/versions/2/withdraw', {})).status).toBe(400);
    const withdrawn = await call(t, who.steward, 'POST', '/v1/admin/datasets/halls-d/versions/2/withdraw', { reason: '数据有误' });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawReason: '数据有误', withdrawnBy: 'li.na' });
    const dataset = await (await call(t, who.steward, 'GET', '/v1/admin/datasets/halls-d')).json();
    expect(dataset.currentVersion).toBe(1);
    const id = dataset.id.replace(/-/g, '');
    expect(await tableExists('published', `ds_${id}_v2`)).toBe(false);
    expect(await tableExists('published', `ds_${id}_v1`)).toBe(true);
  });

  it('keeps every state change with actor, time and reason', async () => {
    const id = await datasetId('halls-d');
    const events = await t.database.db.rows<{ action: string; actor: string; reason: string | null; version_number: number | null }>(
      sql`select action, actor, reason, version_number from dataset_events where dataset_id = ${id} order by id`,
    );
    expect(events.map((event) => `${event.action}:${event.actor}:${event.version_number ?? '-'}`)).toEqual([
      'dataset_created:li.na:-',
      'version_imported:li.na:1',
      'version_submitted:li.na:1',
      'version_published:wang.fang:1',
      'version_imported:li.na:2',
      'version_submitted:li.na:2',
      'version_published:wang.fang:2',
      'version_withdrawn:li.na:2',
    ]);
    expect(events.at(-1)!.reason).toBe('数据有误');
  });
});

describe('declarations', () => {
  it('the policy refuses keeping a resident ID in an unconditional dataset', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('declare-test'));
    const response = await call(t, who.steward, 'PUT', '/v1/admin/datasets/declare-test/declarations', { 身份证号: { type: 'resident_id', action: 'keep' } });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors[0].location).toBe('body.身份证号');
    expect(body.errors[0].message).toContain('cannot keep resident_id');
    const allowed = await call(t, who.steward, 'PUT', '/v1/admin/datasets/declare-test/declarations', { 身份证号: { type: 'resident_id', action: 'drop' } });
    expect(allowed.status).toBe(200);
    expect((await allowed.json()).declarations).toEqual({ 身份证号: { type: 'resident_id', action: 'drop' } });
  });

  it('creating a dataset with a refused declaration fails at import and leaves nothing', async () => {
    await call(t, who.steward, 'POST', '/v1/admin/datasets', datasetInput('declare-keep', { declarations: { 服务电话: { type: 'mobile', action: 'keep' } } }));
    const response = await importCsv(t, who.steward, 'declare-keep', HALLS);
    expect(response.status).toBe(422);
    expect((await (await call(t, who.steward, 'GET', '/v1/admin/datasets/declare-keep')).json()).versions).toEqual([]);
  });
});
