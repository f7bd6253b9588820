import { createRoute, z } from '@hono/zod-openapi';
import { CAPABILITIES } from '../../../capabilities/index';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';

const CapabilitySchema = z
  .object({
    id: z.string().openapi({ description: 'Capability id; invoke it with `POST /v1/capabilities/{id}`.', example: 'licence-verification' }),
    title: z.string().openapi({ description: 'Short name.', example: 'Licence verification' }),
    description: z.string().openapi({ description: 'What it answers, and what it never discloses.', example: 'Checks an electronic licence ...' }),
    path: z.string().openapi({ description: 'Where to POST the input.', example: '/v1/capabilities/licence-verification' }),
    scope: z.string().openapi({ description: 'Scope the calling key needs.', example: 'capabilities:invoke' }),
    rateLimit: z
      .object({
        limit: z.number().int().openapi({ description: 'Calls per window, per developer account.', example: 30 }),
        windowSeconds: z.number().int().openapi({ description: 'Window length in seconds.', example: 3600 }),
      })
      .openapi({ description: "The capability's own limit, on top of the key's plan." }),
    requiresGrant: z.string().nullable().openapi({ description: 'Slug of a conditional dataset the account needs an active grant on, or null.', example: null }),
    input: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema of the input.', example: { type: 'object' } }),
    output: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema of the answer.', example: { type: 'object' } }),
  })
  .openapi('Capability');

export const listCapabilitiesRoute = createRoute({
  operationId: 'listCapabilities',
  method: 'get',
  path: '/v1/capabilities',
  tags: ['Capabilities'],
  summary: 'List service capabilities',
  description: 'Public. Every service capability with its input and output schemas, required scope, rate limit and whether it needs a grant.',
  responses: {
    200: { description: 'The capabilities.', content: { 'application/json': { schema: z.object({ data: z.array(CapabilitySchema).openapi({ description: 'Capabilities.' }) }).openapi('CapabilityList') } } },
    ...errorResponses('rate_limited'),
  },
});

export function registerListCapabilities(app: AppRouter) {
  const body = {
    data: CAPABILITIES.map((capability) => ({
      id: capability.id,
      title: capability.title,
      description: capability.description,
      path: `/v1/capabilities/${capability.id}`,
      scope: capability.scope,
      rateLimit: capability.rateLimit,
      requiresGrant: capability.requiresGrant,
      input: z.toJSONSchema(capability.input) as Record<string, unknown>,
      output: z.toJSONSchema(capability.output) as Record<string, unknown>,
    })),
  };
  app.openapi(listCapabilitiesRoute, (c) => c.json(body, 200));
}
