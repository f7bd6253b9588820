// Records over HTTP, against a dataset whose versions change while a client pages: a
// cursor stays on the version its first page read, so every row of that version comes
// back exactly once even when a new version is published between pages. And SQL
// injection attempts in every records parameter are refused with a 400 naming the
// parameter, or are harmless literals; the table is unchanged afterwards.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, datasetInput, importCsv, setUpStewards, type Stewards } from '../helpers/admin';
import { createTestApp, type TestApp } from '../helpers/app';
import { keyed, signUp, type SignedUp } from '../keys/helpers';

const SLUG = 'paging-cases';
const DISTRICTS = ['蜀山区', '包河区', '庐阳区', '瑶海区'];

let t: TestApp;
let stewards: Stewards;
let dev: SignedUp;
let datasetId: string;
let field: { id: string; district: string; days: string };

/** `rows` rows whose case numbers start with `prefix`; days repeat, so sorting by them needs the row id tiebreaker. */
function csv(prefix: string, rows: number): string {
  const lines = ['办件编号,所在区,办理天数,受理日期'];
  for (let index = 0; index < rows; index++) {
    lines.push(`${prefix}${String(index + 1).padStart(5, '0')},${DISTRICTS[index % DISTRICTS.length]},${index % 7 === 0 ? '' : index % 13},2026-03-${String((index % 28) + 1).padStart(2, '0')}`);
  }
  return `${lines.join('\n')}\n`;
}

async function publish(version: number, body: string): Promise<void> {
  expect((await importCsv(t, stewards.steward, SLUG, body)).status).toBe(201);
  expect((await call(t, stewards.steward, 'POST', `/v1/admin/datasets/${SLUG}/versions/${version}/submit`)).status).toBe(200);
  expect((await call(t, stewards.approver, 'POST', `/v1/admin/datasets/${SLUG}/versions/${version}/approve`)).status).toBe(200);
}

const get = (path: string) => keyed(t, dev.key, path);

interface Page {
  data: Record<string, unknown>[];
  next: string | null;
  count: number | null;
}

async function page(path: string): Promise<{ body: Page; link: string | null }> {
  const response = await get(path);
  expect(response.status, await response.clone().text()).toBe(200);
  return { body: (await response.json()) as Page, link: response.headers.get('link') };
}

beforeAll(async () => {
  t = await createTestApp({ IP_RATE_LIMIT: '100000', KEY_PLANS: JSON.stringify({ free: { limit: 100000, dailyQuota: 1000000 } }) });
  stewards = await setUpStewards(t);
  const created = await call(t, stewards.steward, 'POST', '/v1/admin/datasets', datasetInput(SLUG, { declarations: { 办理天数: { fieldType: 'integer', filterable: true, sortable: true } } }));
  expect(created.status).toBe(201);
  await publish(1, csv('V1-', 230));
  dev = await signUp(t);
  const meta = (await (await t.app.request(`/v1/datasets/${SLUG}`)).json()) as { id: string; fields: { name: string; title: string }[] };
  datasetId = meta.id;
  const nameOf = (title: string) => meta.fields.find((candidate) => candidate.title === title)!.name;
  field = { id: nameOf('办件编号'), district: nameOf('所在区'), days: nameOf('办理天数') };
});
afterAll(async () => t?.close());

describe('a cursor keeps its version', () => {
  it('covers every row of the version it started on exactly once while a new version is published between pages', async () => {
    // Two clients start paging version 1: in row order, and by days descending (NULLs, repeats).
    const sessions = [`/v1/datasets/${SLUG}/records?limit=40&count=exact`, `/v1/datasets/${SLUG}/records?limit=40&count=exact&order=${field.days}.desc`].map((first) => ({
      next: first as string | null,
      ids: [] as string[],
      counts: new Set<number | null>(),
      pages: 0,
    }));
    const step = async (session: (typeof sessions)[number]) => {
      const { body, link } = await page(session.next!);
      session.ids.push(...body.data.map((row) => String(row[field.id])));
      session.counts.add(body.count);
      session.pages += 1;
      // Follow the Link header, as a client would; it carries the cursor and the same query.
      session.next = body.next === null ? null : /^<([^>]+)>; rel="next"$/.exec(link ?? '')![1]!;
      if (body.next !== null) expect(session.next).toContain(`cursor=${body.next}`);
    };
    for (const session of sessions) await step(session);

    // Version 2 replaces version 1 as the current version while both clients are mid-way.
    await publish(2, csv('V2-', 170));
    const fresh = await page(`/v1/datasets/${SLUG}/records?limit=1000&count=exact`);
    expect(fresh.body.count).toBe(170);
    expect(fresh.body.data.every((row) => String(row[field.id]).startsWith('V2-'))).toBe(true);

    for (const session of sessions) {
      while (session.next !== null) await step(session);
      expect(session.pages).toBe(Math.ceil(230 / 40));
      expect(session.ids).toHaveLength(230);
      expect(new Set(session.ids).size).toBe(230);
      expect(session.ids.every((id) => id.startsWith('V1-'))).toBe(true);
      expect([...session.counts]).toEqual([230]);
    }
    // A cursor does not move to another version when one is asked for explicitly.
    const first = await page(`/v1/datasets/${SLUG}/records?limit=40`);
    const crossed = await get(`/v1/datasets/${SLUG}/records?limit=40&version=1&cursor=${first.body.next}`);
    expect(crossed.status).toBe(400);
    expect((await crossed.json()).errors[0].location).toBe('query.cursor');
  });
});

describe('SQL injection attempts over HTTP', () => {
  const SENTINEL = 'kf_injection_sentinel';

  async function checksum(version: number) {
    const table = `published."ds_${datasetId.replaceAll('-', '')}_v${version}"`;
    const [row] = await t.deps.db.rows<{ count: number; md5: string }>(sql.raw(`select count(*)::int as count, md5(string_agg(t::text, '|' order by t._kf_row)) as md5 from ${table} t`));
    return row!;
  }

  it('answers every attempt in every parameter with a 400 naming it, or as a harmless literal; the tables are unchanged', async () => {
    await t.deps.db.rows(sql.raw(`create table if not exists ${SENTINEL} (id int)`));
    const before = [await checksum(1), await checksum(2)];
    const { district, days, id } = field;
    const drop = `; drop table ${SENTINEL}; --`;
    const forged = (payload: object) => `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`;
    const valid = (await page(`/v1/datasets/${SLUG}/records?limit=5`)).body.next!;
    const [validBody] = valid.split('.');

    // [query string (values URL-encoded here), the parameter a 400 must name; or null when
    // the attempt is a harmless literal that matches no row, 'all' when it is a negated one]
    const attempts: [Record<string, string>, string | null][] = [
      // field names
      [{ [`${district}${drop}`]: 'eq.1' }, `${district}${drop}`],
      [{ [`${district}" = '1' or 1=1 --`]: 'eq.1' }, `${district}" = '1' or 1=1 --`],
      [{ '1=1) or (1': 'eq.1' }, '1=1) or (1'],
      // values, per operator and type
      [{ [district]: `eq.' or '1'='1` }, null],
      [{ [district]: `eq.蜀山区'${drop}` }, null],
      [{ [district]: `in.(蜀山区') or true --,x)` }, null],
      [{ [district]: `like.%' or ''='` }, null],
      [{ [district]: `not.like.蜀山区'${drop}*`, count: 'exact' }, 'all'],
      [{ [district]: `like.蜀山区'${drop}*x` }, district],
      [{ [district]: `is.null${drop}` }, district],
      [{ [district]: `is.true` }, district],
      [{ [district]: `xx.1` }, district],
      [{ [days]: 'eq.1 or 1=1' }, days],
      [{ [days]: `gt.0${drop}` }, days],
      [{ [days]: 'in.(1,2) or true' }, days],
      [{ [days]: 'lte.(select 1)' }, days],
      [{ [id]: `eq.V1-00001'--` }, null],
      // order
      [{ order: `${days}${drop}` }, 'order'],
      [{ order: '(select 1)' }, 'order'],
      [{ order: `${days}.desc,(case when 1=1 then ${days} end)` }, 'order'],
      [{ order: `${days}.desc nulls first; select 1` }, 'order'],
      // select
      [{ select: `${district},(select version())` }, 'select'],
      [{ select: `${district} from pg_user --` }, 'select'],
      [{ select: '*' }, 'select'],
      // q: a literal substring, matched against the text; the quotes and % are characters
      [{ q: `' or 1=1 --` }, null],
      [{ q: `%'${drop}` }, null],
      [{ q: `蜀山区')) or true --` }, null],
      // cursor
      [{ cursor: `' or 1=1 --` }, 'cursor'],
      [{ cursor: forged({ d: datasetId, v: 1, f: 'x', k: [], r: `1 or 1=1` }) }, 'cursor'],
      [{ cursor: forged({ d: datasetId, v: 1, f: 'x', k: [`'${drop}`], r: '1' }) }, 'cursor'],
      [{ cursor: `${validBody}${drop}.AAAA` }, 'cursor'],
      // version, limit and count
      [{ version: `1${drop}` }, 'version'],
      [{ version: '1 or 1=1' }, 'version'],
      [{ version: '(select 2)' }, 'version'],
      [{ limit: `10${drop}` }, 'limit'],
      [{ count: `exact${drop}` }, 'count'],
    ];

    for (const [params, refused] of attempts) {
      const path = `/v1/datasets/${SLUG}/records?${new URLSearchParams(params).toString()}`;
      const response = await get(path);
      const body = await response.json();
      if (refused === null) {
        expect(response.status, `${path}: ${JSON.stringify(body)}`).toBe(200);
        expect(body.data, path).toEqual([]);
      } else if (refused === 'all') {
        expect(response.status, path).toBe(200);
        expect(body.count, path).toBe(170);
      } else {
        expect(response.status, `${path}: ${JSON.stringify(body)}`).toBe(400);
        expect(body.code).toBe('validation_failed');
        const locations = (body.errors as { location: string }[]).map((error) => error.location);
        expect(locations.some((location) => location.startsWith(`query.${refused.slice(0, 20)}`)), `${path}: ${locations.join(', ')}`).toBe(true);
      }
    }

    expect([await checksum(1), await checksum(2)]).toEqual(before);
    const [sentinel] = await t.deps.db.rows<{ exists: boolean }>(sql.raw(`select to_regclass('${SENTINEL}') is not null as exists`));
    expect(sentinel!.exists).toBe(true);
    // And the API still answers normally.
    expect((await page(`/v1/datasets/${SLUG}/records?${district}=eq.${encodeURIComponent('蜀山区')}&limit=1`)).body.data).toHaveLength(1);
  });
});
