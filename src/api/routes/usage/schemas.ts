import { z } from '@hono/zod-openapi';

const HOUR_MS = 3_600_000;
const MAX_RANGE_DAYS = 93;

export const UsageQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Start of the range (ISO 8601); hours starting at or after it. Default: 24 hours before `to`.', example: '2026-03-01T00:00:00Z' }),
    to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'End of the range (ISO 8601, exclusive). Default: the end of the current hour.', example: '2026-03-02T00:00:00Z' }),
    keyId: z.uuid().optional().openapi({ description: 'Only this key of the account.', example: '5b0a1f0e-3f43-4c1a-9d55-0f8f5e2d6a11' }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_RANGE_DAYS * 24 * HOUR_MS, { message: `the range may span at most ${MAX_RANGE_DAYS} days`, path: ['to'] });

export function usageRange(query: z.infer<typeof UsageQuerySchema>, nowMs: number): { fromMs: number; toMs: number } {
  const toMs = query.to ? Date.parse(query.to) : Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  const fromMs = query.from ? Date.parse(query.from) : toMs - 24 * HOUR_MS;
  return { fromMs, toMs };
}

const Count = (description: string, example: number) => z.number().int().openapi({ description, example });

export const UsageReportSchema = z
  .object({
    accountId: z.uuid().openapi({ description: 'The account the usage belongs to.', example: '0c6f9a4e-2b7d-4b9e-8f0a-6a1d2c3b4e5f' }),
    from: z.string().openapi({ description: 'Start of the range (ISO 8601).', example: '2026-03-01T00:00:00.000Z' }),
    to: z.string().openapi({ description: 'End of the range, exclusive (ISO 8601).', example: '2026-03-02T00:00:00.000Z' }),
    totals: z
      .object({
        requests: Count('Requests in the range.', 1520),
        rows: Count('Records returned.', 120000),
        bytes: Count('Response bytes metered.', 5242880),
        errors: Count('Requests answered with an error status (including 429).', 3),
      })
      .openapi({ description: 'Sums over `usage`.' }),
    usage: z
      .array(
        z.object({
          keyId: z.uuid().openapi({ description: 'The key that made the requests.', example: '5b0a1f0e-3f43-4c1a-9d55-0f8f5e2d6a11' }),
          hour: z.string().openapi({ description: 'Start of the UTC hour (ISO 8601).', example: '2026-03-01T08:00:00.000Z' }),
          route: z.string().openapi({ description: 'The operation path pattern.', example: '/v1/datasets/:id/records' }),
          datasetId: z.string().nullable().openapi({ description: 'Dataset read, or null.', example: null }),
          requests: Count('Requests.', 40),
          rows: Count('Records returned.', 4000),
          bytes: Count('Response bytes metered.', 180000),
          errors: Count('Requests answered with an error status.', 0),
        }),
      )
      .openapi({ description: 'One entry per key, hour, route and dataset, oldest hour first. Usage is written in batches, so the last seconds may not show yet.' }),
  })
  .openapi('UsageReport');
