import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/datasets/seed-demo';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, datasetInput, importCsv } from '../helpers/admin';
import { keyed, signUp, type SignedUp } from '../keys/helpers';

let t: TestApp;
let dev: SignedUp;
let fields: { name: string; title: string }[];
const nameOf = (title: string) => fields.find((field) => field.title === title)!.name;

beforeAll(async () => {
  t = await createTestApp({ IP_RATE_LIMIT: '100000', KEY_PLANS: JSON.stringify({ free: { limit: 100000, dailyQuota: 1000000 } }) });
  const { db, policy, config, clock, logger } = t.deps;
  await seedDemoData({ db, policy, secret: config.secret, maxImportBytes: config.maxImportBytes, clock }, logger);
  dev = await signUp(t);
  fields = (await (await t.app.request('/v1/datasets/service-cases')).json()).fields;
});
afterAll(async () => t.close());

const get = (path: string) => keyed(t, dev.key, path);

describe('records', () => {
  it('need an API key with data:read', async () => {
    expect((await t.app.request('/v1/datasets/service-halls/records')).status).toBe(401);
    const limited = await keyed(t, dev.key, '/v1/keys', { method: 'POST', body: { name: 'usage only', scopes: ['usage:read'] } });
    expect(limited.status).toBe(201);
    const usageOnly = (await limited.json()).key as string;
    const denied = await keyed(t, usageOnly, '/v1/datasets/service-halls/records');
    expect(denied.status).toBe(403);
    expect((await denied.json()).detail).toContain('data:read');
  });

  it('returns rows built by Postgres with a count and keyset paging', async () => {
    const first = await get('/v1/datasets/service-halls/records?limit=15&count=exact');
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body.data).toHaveLength(15);
    expect(body.count).toBe(40);
    expect(first.headers.get('link')).toMatch(/^<\/v1\/datasets\/service-halls\/records\?limit=15&count=exact&cursor=[^>]+>; rel="next"$/);
    const seen = [...body.data];
    let next = body.next;
    while (next) {
      const page = await (await get(`/v1/datasets/service-halls/records?limit=15&count=exact&cursor=${next}`)).json();
      seen.push(...page.data);
      next = page.next;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen.map((row) => JSON.stringify(row))).size).toBe(40);
  });

  it('filters on filterable fields and searches Chinese text', async () => {
    const district = nameOf('所在区');
    const response = await get(`/v1/datasets/service-cases/records?${district}=eq.${encodeURIComponent('蜀山区')}&count=exact&limit=5`);
    const body = await response.json();
    expect(body.data.every((row: Record<string, string>) => row[district] === '蜀山区')).toBe(true);
    expect(body.count).toBeGreaterThan(100);
    const days = nameOf('办理天数');
    const between = await get(`/v1/datasets/service-cases/records?${days}=gte.3&${days}=lte.5&limit=50`);
    expect(between.status).toBe(200);
    const daysSeen = (await between.json()).data.map((row: Record<string, number>) => Number(row[days]));
    expect(daysSeen.length).toBeGreaterThan(0);
    expect(daysSeen.every((value: number) => value >= 3 && value <= 5)).toBe(true);
    const search = await (await get(`/v1/datasets/service-halls/records?q=${encodeURIComponent('包河')}&count=exact`)).json();
    expect(search.count).toBe(5);
  });

  it('never returns dropped fields, and names every bad parameter', async () => {
    const row = (await (await get('/v1/datasets/service-cases/records?limit=1')).json()).data[0];
    expect(Object.keys(row).sort()).toEqual(fields.map((field) => field.name).sort());
    const bad = await get('/v1/datasets/service-cases/records?limit=5000&nope=eq.1&order=zzz');
    expect(bad.status).toBe(400);
    const locations = (await bad.json()).errors.map((error: { location: string }) => error.location);
    expect(locations).toEqual(expect.arrayContaining(['query.limit', 'query.nope', 'query.order']));
  });

  it('refuses a cursor from another dataset or query', async () => {
    const halls = await (await get('/v1/datasets/service-halls/records?limit=5')).json();
    const crossDataset = await get(`/v1/datasets/service-items/records?limit=5&cursor=${halls.next}`);
    expect(crossDataset.status).toBe(400);
    const crossQuery = await get(`/v1/datasets/service-halls/records?limit=5&q=${encodeURIComponent('蜀山')}&cursor=${halls.next}`);
    expect(crossQuery.status).toBe(400);
    expect((await crossQuery.json()).errors[0].location).toBe('query.cursor');
  });

  it('re-checks a cached dataset version on every page: a new version, a withdrawal and a tier change show at once', async () => {
    const steward = await t.token({ sub: 'demo.steward', roles: ['steward'], publisher: 'hefei-gov-services' });
    const approver = await t.token({ sub: 'demo.approver', roles: ['approver'], publisher: 'hefei-gov-services' });
    const publish = async (csv: string, version: number) => {
      expect((await importCsv(t, steward, 'gate-cases', csv)).status).toBe(201);
      await call(t, steward, 'POST', `/v1/admin/datasets/gate-cases/versions/${version}/submit`);
      expect((await call(t, approver, 'POST', `/v1/admin/datasets/gate-cases/versions/${version}/approve`)).status).toBe(200);
    };
    const rows = async (query = '') => {
      const response = await get(`/v1/datasets/gate-cases/records?count=none${query}`);
      return response.status === 200 ? ((await response.json()).data as unknown[]).length : response.status;
    };
    await call(t, steward, 'POST', '/v1/admin/datasets', { ...datasetInput('gate-cases'), publisher: 'hefei-gov-services' });
    await publish('区,天数\n蜀山区,3\n', 1);
    // The second read is served from the cache of resolved versions, through the gate.
    expect([await rows(), await rows()]).toEqual([1, 1]);
    await publish('区,天数\n蜀山区,3\n包河区,4\n', 2);
    expect(await rows()).toBe(2);
    expect([await rows('&version=1'), await rows('&version=1')]).toEqual([1, 1]);
    const withdrawn = await call(t, approver, 'POST', '/v1/admin/datasets/gate-cases/versions/1/withdraw', { reason: 'gate test' });
    expect(withdrawn.status).toBe(200);
    expect(await rows('&version=1')).toBe(404);
    expect(await rows()).toBe(2);
    await t.deps.db.rows(sql`update datasets set open_tier = 'conditional' where slug = 'gate-cases'`);
    expect(await rows()).toBe(403);
  });

  it('answers 403 with how to apply for a conditional dataset', async () => {
    const steward = await t.token({ sub: 'demo.steward', roles: ['steward'], publisher: 'hefei-gov-services' });
    const approver = await t.token({ sub: 'demo.approver', roles: ['approver'], publisher: 'hefei-gov-services' });
    await call(t, steward, 'POST', '/v1/admin/datasets', { ...datasetInput('conditional-cases', { openTier: 'conditional' }), publisher: 'hefei-gov-services' });
    expect((await importCsv(t, steward, 'conditional-cases', '区,天数\n蜀山区,3\n包河区,4\n')).status).toBe(201);
    await call(t, steward, 'POST', '/v1/admin/datasets/conditional-cases/versions/1/submit');
    expect((await call(t, approver, 'POST', '/v1/admin/datasets/conditional-cases/versions/1/approve')).status).toBe(200);
    expect((await t.app.request('/v1/datasets/conditional-cases')).status).toBe(200);
    for (const operation of ['records', 'aggregate', 'export']) {
      const response = await get(`/v1/datasets/conditional-cases/${operation}`);
      expect(response.status).toBe(403);
      const problem = await response.json();
      expect(problem.code).toBe('application_required');
      expect(problem.detail).toContain('POST /v1/applications');
    }
  });
});

describe('aggregate', () => {
  it('groups, computes metrics and suppresses small cells', async () => {
    const district = nameOf('所在区');
    const status = nameOf('办件状态');
    const days = nameOf('办理天数');
    const response = await get(`/v1/datasets/service-cases/aggregate?groupBy=${district},${status}&metrics=count,avg(${days}),max(${days})`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.minCellSize).toBe(5);
    expect(body.data.length).toBeGreaterThan(0);
    for (const group of body.data) {
      expect(Number(group.count)).toBeGreaterThanOrEqual(5);
      expect(group).toHaveProperty(`avg_${days}`);
    }
    const filtered = await (await get(`/v1/datasets/service-cases/aggregate?groupBy=${district}&${nameOf('办件编号')}=eq.HF20260000001`)).json();
    expect(filtered).toMatchObject({ data: [], suppressedGroups: 1 });
    expect((await get('/v1/datasets/service-cases/aggregate?groupBy=nope&metrics=sum(x)')).status).toBe(400);
  });
});

describe('usage', () => {
  it('counts the rows and bytes of records and aggregate answers as sent', async () => {
    const own = await signUp(t);
    const district = nameOf('所在区');
    const page = await keyed(t, own.key, '/v1/datasets/service-halls/records?limit=7');
    const pageBytes = (await page.arrayBuffer()).byteLength;
    const groups = await keyed(t, own.key, `/v1/datasets/service-cases/aggregate?groupBy=${district}`);
    const groupsBody = new Uint8Array(await groups.arrayBuffer());
    const groupCount = JSON.parse(new TextDecoder().decode(groupsBody)).data.length;
    // HEAD counts as a request; no record and no byte of its body is sent.
    const head = await keyed(t, own.key, '/v1/datasets/service-halls/records?limit=7', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    await t.deps.keys.meter.flush();
    const { usage } = await (await keyed(t, own.key, '/v1/usage')).json();
    expect(usage).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: '/v1/datasets/:id/records', requests: 2, rows: 7, bytes: pageBytes }),
        expect.objectContaining({ route: '/v1/datasets/:id/aggregate', requests: 1, rows: groupCount, bytes: groupsBody.byteLength }),
      ]),
    );
    expect(pageBytes).toBeGreaterThan(100);
  });
});

describe('export', () => {
  const records = async () => {
    const rows: Record<string, unknown>[] = [];
    let next: string | null = '';
    while (next !== null) {
      const page: { data: Record<string, unknown>[]; next: string | null } = await (await get(`/v1/datasets/service-halls/records?limit=1000${next ? `&cursor=${next}` : ''}`)).json();
      rows.push(...page.data);
      next = page.next;
    }
    return rows;
  };

  it('streams NDJSON and JSON that parse back to the same rows as records', async () => {
    const expected = await records();
    const ndjson = await get('/v1/datasets/service-halls/export?format=ndjson');
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await ndjson.text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual(expected);
    const json = await (await get('/v1/datasets/service-halls/export?format=json')).json();
    expect(json).toEqual(expected);
  });

  it('streams CSV with a BOM for spreadsheets, same rows', async () => {
    const expected = await records();
    const response = await get('/v1/datasets/service-halls/export?format=csv&bom=true');
    expect(response.headers.get('content-disposition')).toContain('service-halls-v1.csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = new TextDecoder().decode(bytes.slice(3)).trim().split('\n');
    expect(header!.split(',')).toEqual(Object.keys(expected[0]!));
    expect(lines).toHaveLength(expected.length);
    expect(lines[0]!.split(',')[0]).toBe(expected[0]![header!.split(',')[0]!]);
  });

  it('takes the same filters and counts the rows and bytes sent in usage', async () => {
    const own = await signUp(t);
    const district = nameOf('所在区');
    const response = await keyed(t, own.key, `/v1/datasets/service-cases/export?format=ndjson&${district}=eq.${encodeURIComponent('包河区')}`);
    const body = new Uint8Array(await response.arrayBuffer());
    const rows = new TextDecoder().decode(body).trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((row) => row[district] === '包河区')).toBe(true);
    await t.deps.keys.meter.flush();
    const { usage } = await (await keyed(t, own.key, '/v1/usage')).json();
    expect(usage).toEqual([expect.objectContaining({ route: '/v1/datasets/:id/export', requests: 1, rows: rows.length, bytes: body.byteLength, errors: 0 })]);
  });

  it('a client that disconnects mid-export leaves the database free', async () => {
    const response = await get('/v1/datasets/service-cases/export?format=csv');
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    // The next query runs at once: nothing was left holding a connection or a cursor.
    expect((await get('/v1/datasets/service-halls/records?limit=1')).status).toBe(200);
  });
});
