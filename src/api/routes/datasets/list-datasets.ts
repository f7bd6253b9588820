import { createRoute, z } from '@hono/zod-openapi';
import { searchCatalog } from '../../../datasets/catalog/search-catalog';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { DatasetSummarySchema } from './schemas';
import { serializeSummary } from './serialize';

export const listDatasetsRoute = createRoute({
  operationId: 'listDatasets',
  method: 'get',
  path: '/v1/datasets',
  tags: ['Catalog'],
  summary: 'Search the catalog',
  description: 'Public (no key; limited per client IP). Open datasets with a published version, ordered by slug, one page at a time.',
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Text in the title, description or keywords; Chinese substrings work (`社保`).', example: '社保' }),
      theme: z.string().max(100).optional().openapi({ description: 'Exact theme.', example: '社会保障' }),
      publisher: z.string().max(63).optional().openapi({ description: 'Publisher slug.', example: 'hefei-gov-services' }),
      tag: z.string().max(50).optional().openapi({ description: 'A keyword the dataset carries.', example: '网点' }),
      openTier: z.enum(['unconditional', 'conditional']).optional().openapi({ description: 'Open tier.', example: 'unconditional' }),
      limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size, 1 to 100.', example: 20 }),
      cursor: z.string().max(200).optional().openapi({ description: 'The `next` value of the previous page.', example: 'czpzZXJ2aWNlLWhhbGxz' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of datasets.',
      content: {
        'application/json': {
          schema: z
            .object({
              data: z.array(DatasetSummarySchema).openapi({ description: 'Datasets on this page.' }),
              next: z.string().nullable().openapi({ description: 'Cursor of the next page, or null on the last page.', example: null }),
            })
            .openapi('DatasetPage'),
        },
      },
    },
    ...errorResponses('validation_failed', 'rate_limited'),
  },
});

export function registerListDatasets(app: AppRouter) {
  app.openapi(listDatasetsRoute, async (c) => {
    const page = await searchCatalog(c.var.deps.db, c.req.valid('query'));
    return c.json({ data: page.items.map(serializeSummary), next: page.next }, 200);
  });
}
