// One route per capability, so each has its own operation and schemas in the OpenAPI
// document (and typed methods in the SDK). app.ts guards each path with the scope the
// capability declares; here its own per-account limit applies, then the grant check,
// then the call and its audit entry in one transaction.
import { createRoute } from '@hono/zod-openapi';
import { activeAccess } from '../../../access/grants';
import { actors, appendAudit } from '../../../audit/index';
import type { Capability } from '../../../capabilities/index';
import { getPublicDataset } from '../../../datasets/catalog/public-dataset';
import { KaifangError } from '../../../errors';
import type { AppRouter } from '../../context';
import { refusalDetail, setRateLimitHeaders } from '../../middleware/rate-limit-headers';
import { errorResponses } from '../../problem';
import { API_KEY_SECURITY } from '../keys/schemas';

const camel = (id: string) => id.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

export function registerInvokeCapability(app: AppRouter, capability: Capability) {
  const route = createRoute({
    operationId: `invoke${capability.name}`,
    method: 'post',
    path: `/v1/capabilities/${capability.id}`,
    tags: ['Capabilities'],
    summary: capability.title,
    description: `API key with scope \`${capability.scope}\`${capability.requiresGrant ? `, of an account with an active grant on \`${capability.requiresGrant}\`` : ''}. ${capability.description} Limited to ${capability.rateLimit.limit} calls per ${capability.rateLimit.windowSeconds} s per developer account; every call is audited.`,
    security: API_KEY_SECURITY,
    request: { body: { required: true, content: { 'application/json': { schema: capability.input } } } },
    responses: {
      200: { description: 'The answer.', content: { 'application/json': { schema: capability.output } } },
      ...errorResponses('validation_failed', 'unauthorized', 'invalid_api_key', 'forbidden', 'account_suspended', 'application_required', 'not_found', 'rate_limited', 'rate_limiter_unavailable'),
    },
  });
  app.openapi(route, async (c) => {
    const { db, clock, keys, config } = c.var.deps;
    const apiKey = c.var.apiKey;
    const nowMs = clock.nowMs();
    const decision = await keys.limiter.consume(
      [{ name: `capability:${capability.id}:account:${apiKey.accountId}`, policy: camel(capability.id), limit: capability.rateLimit.limit, windowSeconds: capability.rateLimit.windowSeconds }],
      nowMs,
    );
    const retryAfterSeconds = setRateLimitHeaders(c, decision, nowMs);
    if (retryAfterSeconds !== undefined) throw new KaifangError('rate_limited', refusalDetail(decision), { extras: { retryAfterSeconds } });
    if (capability.requiresGrant) {
      const { dataset } = await getPublicDataset(db, capability.requiresGrant);
      if (!(await activeAccess(db.orm, apiKey.accountId, dataset.id, nowMs))) {
        throw new KaifangError('application_required', `This capability answers from "${dataset.title}", which needs an active grant. Apply with POST /v1/applications.`);
      }
    }
    const input = c.req.valid('json');
    const output = await db.orm.transaction(async (tx) => {
      // Parsed again on the way out: only what the output schema declares ever leaves.
      const answer = capability.output.parse(await capability.invoke({ tx, clock, secret: config.secret, accountId: apiKey.accountId }, input));
      await appendAudit(tx, {
        actor: actors.account(apiKey.accountId),
        action: 'capability.invoked',
        target: `capability:${capability.id}`,
        details: { key: apiKey.keyId, ...capability.auditDetails(input, answer) },
        atMs: nowMs,
      });
      return answer;
    });
    return c.json(output as never, 200);
  });
}
