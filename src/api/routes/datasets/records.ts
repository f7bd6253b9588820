import { createRoute, z } from '@hono/zod-openapi';
import { recordConditionalRead } from '../../../access/grants';
import { readableVersion, type Reader } from '../../../datasets/catalog/readable-version';
import type { Database } from '../../../db/client';
import { cursorVersion, deriveCursorKey, fetchRecordsPage, parseRecordsQuery, recordsResponseBody, StaleTargetError } from '../../../datasets/query/index';
import { q } from '../../../datasets/query/statement';
import { LruCache } from '../../../keys/lru-cache';
import { bytesAnswer } from '../../answer-headers';
import { recordUsage } from '../../middleware/api-key';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';
import { RecordsQueryParams, requestedVersion } from './query-params';
import { DatasetIdParams } from './schemas';

export const RecordsPageSchema = z
  .object({
    data: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'Records: one object per row with the selected fields.', example: [{ c1: '蜀山区社保卡服务网点1号', c2: '蜀山区' }] }),
    next: z.string().nullable().openapi({ description: 'Cursor of the next page (also in the `Link: rel="next"` header), or null on the last page.', example: null }),
    count: z.number().int().nullable().openapi({ description: 'Rows matching the filters: exact, estimated by the planner, or null with `count=none`.', example: 40 }),
  })
  .openapi('RecordsPage');

export const recordsRoute = createRoute({
  operationId: 'listRecords',
  method: 'get',
  path: '/v1/datasets/{id}/records',
  tags: ['Data'],
  summary: 'Query records',
  description:
    'API key with scope `data:read`. Rows of the current (or `version=n`) published version, filtered, sorted and paged by cursor. Conditionally open datasets answer only keys of an account with an active grant, for the granted fields (403 `application_required` otherwise), and every such read is audited.',
  security: API_KEY_SECURITY,
  request: { params: DatasetIdParams, query: RecordsQueryParams },
  responses: {
    200: { description: 'A page of records.', content: { 'application/json': { schema: RecordsPageSchema } } },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'application_required', 'not_found', 'rate_limited'),
  },
});

// The cursor key depends only on the platform secret: derive it once per secret.
const cursorKeys = new Map<string, Buffer>();
export const cursorKeyFor = (secret: string) => cursorKeys.get(secret) ?? cursorKeys.set(secret, deriveCursorKey(secret)).get(secret)!;

type ReadableTarget = Awaited<ReturnType<typeof readableVersion>>;

/**
 * Resolved targets of unconditionally open datasets, per database, dataset reference and
 * requested version. Resolving takes two catalog queries; a page served from the cache
 * instead proves in its own statement (the gate) that the dataset is still open without
 * conditions and the version still published and, when no version was asked for, still
 * current. A failed gate drops the entry and resolves afresh, so a withdrawal, a new
 * version or a tier change shows at once, as without the cache. Conditional datasets
 * (grants, audited reads) always take the full path. Bounded.
 */
const TARGET_CACHE_ENTRIES = 500;
const targets = new WeakMap<Database, LruCache<string, ReadableTarget>>();

function gateFor(target: ReadableTarget, idOrSlug: string, pinnedVersion: boolean) {
  // kaifang_version_readable (migration 0005): the dataset is still the one `idOrSlug` names,
  // open without conditions, and the version still published and, unless pinned, current.
  return q`kaifang_version_readable(${target.dataset.id}::text::uuid, ${idOrSlug}::text, ${target.version}::text::int, ${String(pinnedVersion)}::text::boolean)`;
}

async function readPage(db: Database, idOrSlug: string, version: number | null, reader: Reader, params: URLSearchParams, cursorKey: Uint8Array) {
  const cache = targets.get(db) ?? targets.set(db, new LruCache<string, ReadableTarget>(TARGET_CACHE_ENTRIES)).get(db)!;
  const cacheKey = `${idOrSlug}\u0000${version ?? ''}`;
  const fetchFor = async (target: ReadableTarget, gated: boolean) => {
    const query = parseRecordsQuery(params, target.fields);
    const gate = gated ? gateFor(target, idOrSlug, version !== null) : undefined;
    const page = await fetchRecordsPage({ db, query, fields: target.fields, table: target.table, datasetId: target.dataset.id, version: target.version, cursorKey, gate });
    return { target, query, page };
  };
  const resolve = async () => {
    const fresh = await readableVersion(db, idOrSlug, version, reader);
    if (fresh.dataset.openTier === 'unconditional' && !fresh.access) cache.set(cacheKey, fresh);
    return fresh;
  };
  const cached = cache.get(cacheKey);
  if (!cached) return fetchFor(await resolve(), false);
  try {
    return await fetchFor(cached, true);
  } catch (error) {
    if (!(error instanceof StaleTargetError || isMissingRelation(error))) throw error;
    cache.delete(cacheKey);
    return fetchFor(await resolve(), false);
  }
}

export function registerRecords(app: AppRouter) {
  app.openapi(recordsRoute, async (c) => {
    const { db, config, clock } = c.get('deps');
    const apiKey = c.get('apiKey');
    const params = new URL(c.req.url).searchParams;
    const reader = { accountId: apiKey.accountId, nowMs: clock.nowMs() };
    const cursor = params.get('cursor');
    // Without version=n, a cursor keeps the version its first page read (a version published meanwhile starts with a new first page).
    const version = requestedVersion(params) ?? (cursor !== null ? cursorVersion(cursor, cursorKeyFor(config.secret)) : null);
    const { target, query, page } = await readPage(db, c.req.valid('param').id, version, reader, params, cursorKeyFor(config.secret));
    // Conditional data: audited before it is sent; no entry, no data.
    if (target.access) {
      await recordConditionalRead(db, { ...reader, atMs: reader.nowMs, keyId: apiKey.keyId, datasetId: target.dataset.id, version: target.version, operation: 'records', grantIds: target.access.grantIds, fields: query.select, rows: page.rows });
    }
    const headers: Record<string, string> = {};
    if (page.next) {
      const nextUrl = new URL(c.req.url);
      nextUrl.searchParams.set('cursor', page.next);
      headers.Link = `<${nextUrl.pathname}${nextUrl.search}>; rel="next"`;
    }
    // Bytes, not a string: the rows Postgres serialised go out without being decoded and re-encoded.
    const body = recordsResponseBody(page);
    recordUsage(c, { rows: page.rows, bytes: body.length, datasetId: target.dataset.id });
    return bytesAnswer(c, 200, body, 'application/json; charset=utf-8', headers) as never;
  });
}

/** Postgres 42P01: the cached version's table left the published schema (a withdrawal). */
function isMissingRelation(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { code?: unknown }).code === '42P01') return true;
  }
  return false;
}
