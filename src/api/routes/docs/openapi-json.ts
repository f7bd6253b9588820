import { createRoute, z } from '@hono/zod-openapi';
import type { AppRouter } from '../../context';
import { buildOpenApiDocument } from '../../openapi';

export const openApiJsonRoute = createRoute({
  operationId: 'getOpenApiDocument',
  method: 'get',
  path: '/openapi.json',
  tags: ['Operations'],
  summary: 'OpenAPI document',
  description: 'Public. The OpenAPI 3.1 description of this API, generated from the running code.',
  responses: {
    200: {
      description: 'The OpenAPI 3.1 document.',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi({ description: 'An OpenAPI 3.1 document.' }) } },
    },
  },
});

export function registerOpenApiJson(app: AppRouter, serverUrl: string | undefined) {
  // Built on first request: every route is registered by then, and the document never changes afterwards.
  let document: string | undefined;
  app.openapi(openApiJsonRoute, (c) => {
    document ??= JSON.stringify(buildOpenApiDocument(app, serverUrl));
    return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8' }) as never;
  });
}
