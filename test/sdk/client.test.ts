// Every operation the SDK exposes, against a real Kaifang server over HTTP with the
// demo datasets published and a developer signed up through the SDK itself.
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { Kaifang, KaifangError, type Dataset, type KaifangErrorCode, type ProblemCode, type SignedUp } from '../../sdk/src/index';
import { startSdkServer, type SdkServer } from './server';

let server: SdkServer;
let anonymous: Kaifang;
let client: Kaifang;
let signedUp: SignedUp;
let cases: Dataset;
/** Field name of the service-cases field with this title (names are generated: c1, c2, …). */
const field = (title: string) => cases.fields.find((candidate) => candidate.title === title)!.name;

beforeAll(async () => {
  server = await startSdkServer({}, { seed: true });
  anonymous = new Kaifang({ baseUrl: server.baseUrl });
  signedUp = await anonymous.accounts.signUp({ name: 'Li Lei', email: 'li.lei@example.com', organization: 'Hefei Transit Apps Ltd.' });
  client = new Kaifang({ baseUrl: server.baseUrl, apiKey: signedUp.key.key });
  cases = await client.datasets.get('service-cases');
}, 120_000);
afterAll(async () => server?.close());

async function rejection(promise: Promise<unknown>): Promise<KaifangError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(KaifangError);
  return error as KaifangError;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('accounts', () => {
  it('signs up without a key and returns the first key, holding every scope', () => {
    expect(signedUp.account).toMatchObject({ name: 'Li Lei', email: 'li.lei@example.com', status: 'active' });
    expect(signedUp.key.key).toMatch(/^kf_/);
    expect(signedUp.key.scopes).toEqual(expect.arrayContaining(['data:read', 'keys:manage', 'usage:read']));
  });

  it('maps a duplicate sign-up to a 409 conflict', async () => {
    const error = await rejection(anonymous.accounts.signUp({ name: 'Li Lei', email: 'li.lei@example.com' }));
    expect(error).toMatchObject({ status: 409, code: 'conflict' });
  });
});

describe('catalog', () => {
  it('lists, searches and pages through datasets', async () => {
    const page = await anonymous.datasets.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.next).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const dataset of anonymous.datasets.all({ limit: 1 })) all.push(dataset.slug);
    expect(all).toEqual(['enterprise-registry', 'service-cases', 'service-halls', 'service-items']);
    const found = await anonymous.datasets.search('社保');
    expect(found.data.map((dataset) => dataset.slug)).toContain('service-halls');
    const byPublisher = await anonymous.datasets.list({ publisher: 'hefei-market' });
    expect(byPublisher.data.map((dataset) => dataset.slug)).toEqual(['enterprise-registry']);
  });

  it('gets a dataset with its field schema, its data package and the DCAT catalog', async () => {
    expect(cases).toMatchObject({ slug: 'service-cases', rowCount: 3000, openTier: 'unconditional' });
    expect(cases.fields.map((candidate) => candidate.title)).toContain('所在区');
    // Personal columns are dropped by the policy and never listed.
    expect(cases.fields.map((candidate) => candidate.title)).not.toContain('身份证号');
    const descriptor = await anonymous.datasets.dataPackage('service-halls');
    expect(descriptor).toMatchObject({ profile: expect.stringContaining('data-package') });
    const catalog = await anonymous.catalog.jsonld();
    expect(JSON.stringify(catalog)).toContain('service-cases');
  });

  it('reaches any operation through typed paths', async () => {
    const dataset = await anonymous.request('get', '/v1/datasets/{id}', { path: { id: 'service-halls' } });
    expectTypeOf(dataset).toEqualTypeOf<Dataset>();
    expect(dataset.rowCount).toBe(40);
    const page = await anonymous.request('get', '/v1/datasets', { query: { theme: '社会保障' } });
    expect(page.data.map((entry) => entry.slug)).toEqual(['service-halls']);
  });
});

describe('records', () => {
  it('reads one page with a count and a cursor', async () => {
    const page = await client.recordsPage('service-halls', { pageSize: 15, count: 'exact' });
    expect(page.data).toHaveLength(15);
    expect(page.count).toBe(40);
    const second = await client.recordsPage('service-halls', { pageSize: 15, count: 'exact', cursor: page.next! });
    expect(second.data).toHaveLength(15);
    expect(second.data[0]).not.toEqual(page.data[0]);
  });

  it('iterates every row of 3000 across 30 pages by cursor', async () => {
    const iterable = client.records('service-cases', { pageSize: 100 });
    let pages = 0;
    const ids = new Set<unknown>();
    for await (const page of iterable.pages()) {
      pages += 1;
      for (const row of page.data) ids.add(row[field('办件编号')]);
    }
    expect(pages).toBe(30);
    expect(ids.size).toBe(3000);
    let rows = 0;
    for await (const row of client.records('service-cases', { pageSize: 100 })) {
      expect(row).toHaveProperty(field('所在区'));
      rows += 1;
    }
    expect(rows).toBe(3000);
  });

  it('filters, selects and orders across pages', async () => {
    const district = field('所在区');
    const days = field('办理天数');
    const exact = await client.recordsPage('service-cases', { filters: { [district]: 'eq.蜀山区' }, count: 'exact', pageSize: 1 });
    const rows = await client
      .records<Record<string, string | number>>('service-cases', {
        filters: { [district]: { in: ['蜀山区'] }, [days]: { gte: 0 } },
        select: [district, days],
        order: [`${days}.desc`],
        pageSize: 250,
      })
      .toArray();
    expect(rows).toHaveLength(exact.count!);
    expect(rows.every((row) => row[district] === '蜀山区' && Object.keys(row).length === 2)).toBe(true);
    const dayValues = rows.map((row) => Number(row[days]));
    expect(dayValues).toEqual([...dayValues].sort((a, b) => b - a));
    const negated = await client.recordsPage('service-cases', { filters: { [district]: { not: { in: ['蜀山区'] } } }, count: 'exact', pageSize: 1 });
    expect(negated.count! + exact.count!).toBe(3000);
    const searched = await client.recordsPage('service-halls', { q: '包河', count: 'exact' });
    expect(searched.count).toBe(5);
  });
});

describe('aggregate', () => {
  it('groups and counts with small cells suppressed', async () => {
    const district = field('所在区');
    const result = await client.aggregate('service-cases', { groupBy: [district], metrics: ['count', `avg(${field('办理天数')})`] });
    expect(result.data.length).toBeGreaterThan(1);
    const counted = result.data.reduce((sum, group) => sum + Number(group.count), 0);
    expect(counted).toBeLessThanOrEqual(3000);
    expect(result.minCellSize).toBeGreaterThan(0);
    expect(result.truncated).toBe(false);
  });
});

describe('export', () => {
  it('streams NDJSON that parses back to the same rows as records', async () => {
    const district = field('所在区');
    const filters = { [district]: { in: ['包河区', '庐阳区'] } };
    const expected = await client.records('service-cases', { filters, pageSize: 1000 }).toArray();
    expect(expected.length).toBeGreaterThan(100);
    const stream = await client.export('service-cases', { format: 'ndjson', filters });
    expect(stream).toBeInstanceOf(ReadableStream);
    const rows = (await readAll(stream)).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(rows).toEqual(expected);
  });

  it('streams CSV that parses back to the same rows as records', async () => {
    const expected = await client.records('service-cases', { pageSize: 1000 }).toArray();
    const text = await readAll(await client.export('service-cases', { format: 'csv' }));
    const [header, ...lines] = parseCsv(text) as string[][];
    expect(header).toEqual(cases.fields.map((candidate) => candidate.name));
    expect(lines).toHaveLength(3000);
    const asCsv = expected.map((row) => header!.map((name) => (row[name] === null ? '' : String(row[name]))));
    expect(lines).toEqual(asCsv);
  });

  it('streams JSON with selected fields and a BOM on request', async () => {
    const halls = await client.datasets.get('service-halls');
    const hallDistrict = halls.fields.find((candidate) => candidate.title === '所在区')!.name;
    const json = JSON.parse(await readAll(await client.export('service-halls', { format: 'json', select: [hallDistrict] }))) as Record<string, unknown>[];
    expect(json).toHaveLength(40);
    expect(json.every((row) => Object.keys(row).join() === hallDistrict)).toBe(true);
    const bytes = new Uint8Array(await new Response(await client.export('service-halls', { format: 'csv', bom: true })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('cancels a running export stream when the signal aborts', async () => {
    const controller = new AbortController();
    const stream = await client.export('service-cases', { format: 'ndjson' }, { signal: controller.signal });
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    controller.abort();
    const rest = (async () => {
      for (;;) if ((await reader.read()).done) return 'ended';
    })();
    await expect(rest).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('throws a KaifangError before any byte when the export is refused', async () => {
    const error = await rejection(client.export('service-cases', { filters: { nope: 'eq.1' } }));
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
  });
});

describe('keys and usage', () => {
  it('creates, lists, rotates and revokes keys', async () => {
    const created = await client.keys.create({ name: 'reader', scopes: ['data:read'] });
    expect(created).toMatchObject({ name: 'reader', scopes: ['data:read'], status: 'active' });
    const reader = new Kaifang({ baseUrl: server.baseUrl, apiKey: created.key });
    expect((await reader.recordsPage('service-halls', { pageSize: 1 })).data).toHaveLength(1);

    const { data } = await client.keys.list();
    expect(data.map((key) => key.id)).toEqual(expect.arrayContaining([signedUp.key.id, created.id]));
    expect(JSON.stringify(data)).not.toContain(created.key);

    const rotated = await client.keys.rotate(created.id, { gracePeriodSeconds: 0 });
    expect(rotated.previous).toMatchObject({ id: created.id, replacedBy: rotated.key.id });
    const stale = await rejection(reader.recordsPage('service-halls'));
    expect(stale).toMatchObject({ status: 401, code: 'invalid_api_key' });

    const replacement = new Kaifang({ baseUrl: server.baseUrl, apiKey: rotated.key.key });
    expect((await replacement.recordsPage('service-halls', { pageSize: 1 })).data).toHaveLength(1);
    await expect(client.keys.revoke(rotated.key.id)).resolves.toBeUndefined();
    expect(await rejection(replacement.recordsPage('service-halls'))).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect((await client.keys.list()).data.find((key) => key.id === rotated.key.id)?.status).toBe('revoked');
  });

  it("reports the account's usage", async () => {
    const report = await client.usage.get({ to: new Date(server.t.clock.nowMs() + 3_600_000) });
    expect(report.accountId).toBe(signedUp.account.id);
    expect(report.totals.requests).toBeGreaterThan(30);
    expect(report.usage.some((entry) => entry.route === '/v1/datasets/:id/records')).toBe(true);
    const mine = await client.usage.get({ keyId: signedUp.key.id });
    expect(mine.usage.every((entry) => entry.keyId === signedUp.key.id)).toBe(true);
  });
});

describe('browser use', () => {
  it('lets a web page send the key on public reads (CORS preflight)', async () => {
    const preflight = await fetch(`${server.baseUrl}/v1/datasets/service-halls/records`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization');
  });
});

describe('errors', () => {
  it('maps a 404 problem', async () => {
    const error = await rejection(anonymous.datasets.get('no-such-dataset'));
    expect(error).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
    expect(error.requestId).toMatch(/\S/);
    expect(error.problem).toMatchObject({ code: 'not_found', instance: '/v1/datasets/no-such-dataset' });
    expect(error.message).toContain('not_found');
  });

  it('maps a 400 problem with the offending parameters', async () => {
    const error = await rejection(client.recordsPage('service-cases', { filters: { nope: 'eq.1', [field('办理天数')]: 'gte.many' }, pageSize: 5000 }));
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(error.errors?.map((issue) => issue.location).sort()).toEqual(['query.limit', `query.${field('办理天数')}`, 'query.nope'].sort());
  });

  it('maps 401 for a missing and for a wrong key, and 403 for a missing scope', async () => {
    expect(await rejection(anonymous.recordsPage('service-halls'))).toMatchObject({ status: 401, code: 'unauthorized' });
    const wrong = new Kaifang({ baseUrl: server.baseUrl, apiKey: 'kf_live_not-a-real-key' });
    expect(await rejection(wrong.keys.list())).toMatchObject({ status: 401, code: 'invalid_api_key' });
    const usageOnly = await client.keys.create({ name: 'usage only', scopes: ['usage:read'] });
    const limited = new Kaifang({ baseUrl: server.baseUrl, apiKey: usageOnly.key });
    const forbidden = await rejection(limited.recordsPage('service-halls'));
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden' });
    expect(forbidden.detail).toContain('data:read');
  });

  it('types the code from the Problem schema', () => {
    expectTypeOf<KaifangError['code']>().toEqualTypeOf<KaifangErrorCode>();
    expectTypeOf<'rate_limited'>().toExtend<ProblemCode>();
    expectTypeOf<'no_such_code'>().not.toExtend<ProblemCode>();
  });
});

// Compile-time checks of the typed paths (root `tsc --noEmit` runs over test/).
export function typedPathChecks(sdk: Kaifang) {
  // @ts-expect-error: the path parameter is required
  void sdk.request('get', '/v1/datasets/{id}');
  // @ts-expect-error: no such path
  void sdk.request('get', '/v1/no-such-path');
  // @ts-expect-error: /v1/datasets takes no POST
  void sdk.request('post', '/v1/datasets');
  // @ts-expect-error: the body of createKey needs scopes
  void sdk.request('post', '/v1/keys', { body: { name: 'x' } });
  // @ts-expect-error: openTier is an enum
  void sdk.datasets.list({ openTier: 'sometimes' });
}
