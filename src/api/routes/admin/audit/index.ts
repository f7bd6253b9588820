import { createRoute, z } from '@hono/zod-openapi';
import { listAudit, verifyAuditChain } from '../../../../audit/index';
import { KaifangError } from '../../../../errors';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';

const WHO = 'Auditors and admins.';

const AuditQuery = z.object({
  actor: z.string().max(300).optional().openapi({ description: 'Only entries by this actor, for example `steward:li.na` or `account:<id>`.', example: 'steward:li.na' }),
  action: z.string().max(100).optional().openapi({ description: 'Only this action, for example `grant.created` or `conditional.records`.', example: 'grant.created' }),
  target: z.string().max(300).optional().openapi({ description: 'Only entries about this target, for example `dataset:<id>`.', example: 'dataset:0c6f9a4e-2b7d-4b9e-8f0a-6a1d2c3b4e5f' }),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries at or after this time (ISO 8601).', example: '2026-03-01T00:00:00Z' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries at or before this time (ISO 8601).', example: '2026-03-31T23:59:59Z' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'Most entries to return (1–1000).', example: 100 }),
  cursor: z.string().max(40).optional().openapi({ description: "Cursor from the previous page's `next`.", example: 'MTIz' }),
});

const AuditEntrySchema = z
  .object({
    seq: z.number().int().openapi({ description: 'Position in the chain, from 1, without gaps.', example: 123 }),
    at: z.string().openapi({ description: 'When (ISO 8601).', example: '2026-03-01T08:00:00.000Z' }),
    actor: z.string().openapi({ description: 'Who: `steward:<subject>`, `account:<id>`, `operator:<name>` or `system`.', example: 'steward:li.na' }),
    action: z.string().openapi({ description: 'What was done.', example: 'grant.created' }),
    target: z.string().openapi({ description: 'On what.', example: 'grant:8d2f4c1a-6b3e-4f7a-9c10-2e5d8a7b9f01' }),
    details: z.record(z.string(), z.unknown()).openapi({ description: 'Counts, ids, field names and hashes; never personal values.', example: { fields: ['c1', 'c2'], rows: 100 } }),
    prevHash: z.string().openapi({ description: "SHA-256 (hex) of the previous entry's canonical form.", example: 'a3f1…' }),
    hash: z.string().openapi({ description: "SHA-256 (hex) of this entry's canonical form.", example: '9b2c…' }),
  })
  .openapi('AuditEntry');

const ChainReportSchema = z
  .object({
    ok: z.boolean().openapi({ description: 'Whether every link verified.', example: true }),
    entries: z.number().int().openapi({ description: 'Entries read.', example: 1042 }),
    lastGoodSeq: z.number().int().openapi({ description: 'Last entry that verified (0: none).', example: 1042 }),
    lastGoodHash: z.string().openapi({ description: 'Hash of that entry; keep it to prove later that the log up to here did not change.', example: '9b2c…' }),
    broken: z
      .object({
        seq: z.number().int().openapi({ description: 'The first entry where the chain breaks.', example: 57 }),
        reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap', 'head_mismatch']).openapi({
          description: '`hash_mismatch`: the entry was edited; `prev_hash_mismatch`: an entry before it was replaced or reordered; `sequence_gap`: an entry was removed; `head_mismatch`: entries were removed from the end.',
          example: 'hash_mismatch',
        }),
        detail: z.string().openapi({ description: 'The break in plain words.', example: 'entry 57 does not match its hash (edited or moved)' }),
      })
      .nullable()
      .openapi({ description: 'The first broken link, or null.' }),
  })
  .openapi('AuditChainReport');

export const listAuditRoute = createRoute({
  operationId: 'listAdminAudit',
  method: 'get',
  path: '/v1/admin/audit',
  tags: ['Admin'],
  summary: 'Read the audit log',
  description: `${WHO} Entries newest first, filtered by actor, action, target and time, paged by cursor.`,
  security: [{ stewardToken: [] }],
  request: { query: AuditQuery },
  responses: {
    200: {
      description: 'A page of entries.',
      content: {
        'application/json': {
          schema: z
            .object({
              data: z.array(AuditEntrySchema).openapi({ description: 'Entries, newest first.' }),
              next: z.string().nullable().openapi({ description: 'Cursor of the next (older) page, or null.', example: null }),
            })
            .openapi('AuditPage'),
        },
      },
    },
    ...errorResponses('validation_failed', 'unauthorized', 'invalid_token', 'forbidden'),
  },
});

export const verifyAuditRoute = createRoute({
  operationId: 'verifyAdminAudit',
  method: 'get',
  path: '/v1/admin/audit/verify',
  tags: ['Admin'],
  summary: 'Verify the audit chain',
  description: `${WHO} Recomputes every entry's hash and link and reports the first broken one (an edited, removed or reordered entry). Same check as \`kaifang audit verify\`.`,
  security: [{ stewardToken: [] }],
  responses: {
    200: { description: 'The verification report (also when the chain is broken).', content: { 'application/json': { schema: ChainReportSchema } } },
    ...errorResponses('unauthorized', 'invalid_token', 'forbidden'),
  },
});

function decodeCursor(cursor: string): number {
  const seq = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(seq) || seq < 1) throw new KaifangError('validation_failed', 'Invalid query.cursor.', { errors: [{ location: 'query.cursor', message: 'not a cursor from this listing' }] });
  return seq;
}

/** The audit log; app.ts requires the auditor or admin role on /v1/admin/audit. */
export function registerAdminAuditRoutes(app: AppRouter) {
  app.openapi(listAuditRoute, async (c) => {
    const query = c.req.valid('query');
    const rows = await listAudit(c.var.deps.db, {
      actor: query.actor,
      action: query.action,
      target: query.target,
      fromMs: query.from ? Date.parse(query.from) : undefined,
      toMs: query.to ? Date.parse(query.to) : undefined,
      beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const next = rows.length > query.limit ? Buffer.from(String(page.at(-1)!.seq)).toString('base64url') : null;
    return c.json({ data: page.map((row) => ({ ...row, at: row.at.toISOString() })), next }, 200);
  });
  app.openapi(verifyAuditRoute, async (c) => c.json(await verifyAuditChain(c.var.deps.db), 200));
}
