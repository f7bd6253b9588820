import { z } from '@hono/zod-openapi';

// The records syntax is open-ended (`<field>=<op>.<value>` for any field), so the
// declared parameters document it and parseRecordsQuery validates the whole query
// string, naming every bad parameter at once.
export const RecordsQueryParams = z
  .object({
    select: z.string().optional().openapi({ description: 'Comma-separated field names to return (default: all).', example: 'c1,c2' }),
    order: z.string().optional().openapi({ description: 'Sort by sortable fields: `field[.asc|.desc][.nullsfirst|.nullslast]`, comma-separated.', example: 'c4_days.desc' }),
    limit: z.string().optional().openapi({ description: 'Rows per page, 1 to 1000 (default 100).', example: '100' }),
    cursor: z.string().optional().openapi({ description: 'The `next` cursor of the previous page; only valid for the same dataset, version and query.', example: 'eyJkIjoi...' }),
    count: z.string().optional().openapi({ description: '`estimated` (default, from the planner), `exact`, or `none`.', example: 'estimated' }),
    version: z.string().optional().openapi({ description: 'A published version number (default: the current version).', example: '1' }),
    q: z.string().optional().openapi({ description: 'Substring search over filterable text fields (Chinese works).', example: '蜀山' }),
  })
  .catchall(z.union([z.string(), z.array(z.string())]))
  .openapi({
    description:
      'Filters: `<field>=<op>.<value>` on filterable fields with ops `eq neq gt gte lt lte in like is` and an optional `not.` prefix, e.g. `c2=eq.蜀山区`, `c4=gte.3`, `c2=in.(蜀山区,包河区)`, `c1=like.合肥*`, `c5=is.null`, `c5=not.is.null`.',
  });

/**
 * The `version=n` a request names, or null when it names none. A malformed value also
 * gives null here: parseRecordsQuery then answers it with a 400 naming `query.version`.
 */
export function requestedVersion(params: URLSearchParams): number | null {
  const requested = params.get('version');
  return requested !== null && /^\d{1,9}$/.test(requested) ? Number(requested) : null;
}
