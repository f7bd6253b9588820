// buildApp composes the HTTP layer from its dependencies. No business logic lives
// here: this file says which middleware guards which routes, so the security
// boundary of the whole API can be read in one place.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { setAnswerHeaders } from './api/answer-headers';
import type { AppDeps, AppEnv, AppRouter } from './api/context';
import { authenticatePublic, limitSignups, refuseKeysInQuery, requireApiKey } from './api/middleware/api-key';
import { observe } from './api/middleware/observe';
import { standardHeaders } from './api/middleware/standard-headers';
import { requireRole, requireStewardToken } from './api/middleware/steward';
import { onError } from './api/on-error';
import { registerSecuritySchemes } from './api/openapi';
import { problemResponse } from './api/problem';
import { registerAgreementRoute, registerApplicationRoutes } from './api/routes/access/index';
import { registerAccountRoutes } from './api/routes/accounts/index';
import { registerAdminApplicationRoutes } from './api/routes/admin/access/applications';
import { registerAdminVerificationRoutes } from './api/routes/admin/access/verifications';
import { registerAdminAuditRoutes } from './api/routes/admin/audit/index';
import { registerAdminAccountRoutes } from './api/routes/admin/accounts/index';
import { registerAdminRoutes } from './api/routes/admin/index';
import { registerCapabilityListRoute, registerCapabilityRoutes } from './api/routes/capabilities/index';
import { registerCatalogRoutes, registerDataRoutes } from './api/routes/datasets/index';
import { registerDocsRoutes } from './api/routes/docs/index';
import { registerApiKeySecuritySchemes, registerKeyRoutes } from './api/routes/keys/index';
import { registerOpsRoutes } from './api/routes/ops/index';
import { registerUsageRoutes } from './api/routes/usage/index';
import { validationHook } from './api/validation';
import { CAPABILITIES } from './capabilities/index';
import { KaifangError } from './errors';

const STREAMED_UPLOAD_PATH = /^\/v1\/admin\/datasets\/[^/]+\/versions$/;
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function buildApp(deps: AppDeps): AppRouter {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', standardHeaders());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', observe());
  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: () => {
      throw new KaifangError('payload_too_large', `The request body exceeds ${deps.config.maxBodyBytes} bytes.`);
    },
  });
  // CSV imports stream far larger bodies; the reader enforces MAX_IMPORT_BYTES as it reads.
  // GET, HEAD and OPTIONS carry no body we read, and asking for one makes
  // @hono/node-server build a full WHATWG Request: about 5% of a records request's CPU.
  app.use('*', (c, next) => (BODYLESS_METHODS.has(c.req.method) || (c.req.method === 'POST' && STREAMED_UPLOAD_PATH.test(c.req.path)) ? next() : limitBody(c, next)));
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(c, new KaifangError('method_not_allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}.`), { Allow: methods.join(', ') }),
    }),
  );

  // Public routes: no credentials. Public GETs may be called from any web page.
  app.use('/v1/*', async (c, next) => (c.req.path.startsWith('/v1/admin') ? next() : publicCors(c, next)));
  registerOpsRoutes(app);
  registerDocsRoutes(app, deps.config.publicUrl);

  // Developer access (every /v1 route outside /v1/admin): keys are refused in URLs; a
  // request with a key is verified, limited per key and per account per day, and
  // metered; a request without one is limited per client IP. Sign-up has its own,
  // stricter per-IP limit.
  app.use('/v1/*', refuseKeysInQuery());
  app.use('/v1/*', authenticatePublic());
  app.use('/v1/accounts', limitSignups());
  registerAccountRoutes(app);
  // The catalog: public metadata, limited per client IP like every unkeyed request.
  registerCatalogRoutes(app);
  registerCapabilityListRoute(app);
  registerAgreementRoute(app);

  // Keyed routes: an API key holding the scope the operation needs.
  app.use('/v1/keys', requireApiKey({ scope: 'keys:manage' }));
  app.use('/v1/keys/*', requireApiKey({ scope: 'keys:manage' }));
  app.use('/v1/usage', requireApiKey({ scope: 'usage:read' }));
  registerKeyRoutes(app);
  registerUsageRoutes(app);
  for (const operation of ['records', 'aggregate', 'export']) app.use(`/v1/datasets/:id/${operation}`, requireApiKey({ scope: 'data:read' }));
  registerDataRoutes(app);
  // Conditional access: applications and organisation verification.
  for (const path of ['/v1/applications', '/v1/applications/*', '/v1/organization-verification']) app.use(path, requireApiKey({ scope: 'applications:manage' }));
  registerApplicationRoutes(app);
  // Service capabilities: each with the scope it declares (and its own limit in the handler).
  for (const capability of CAPABILITIES) app.use(`/v1/capabilities/${capability.id}`, requireApiKey({ scope: capability.scope }));
  registerCapabilityRoutes(app);
  registerApiKeySecuritySchemes(app);

  // Steward routes: a verified steward token on everything under /v1/admin.
  app.use('/v1/admin/*', requireStewardToken());
  app.use('/v1/admin/*', requireRole('steward', 'approver', 'auditor', 'admin'));
  registerAdminRoutes(app);
  // Developer accounts: admins only.
  app.use('/v1/admin/accounts', requireRole('admin'));
  app.use('/v1/admin/accounts/*', requireRole('admin'));
  registerAdminAccountRoutes(app);
  app.use('/v1/admin/verifications', requireRole('admin'));
  app.use('/v1/admin/verifications/*', requireRole('admin'));
  registerAdminVerificationRoutes(app);
  // Applications and grants: stewards and approvers of the dataset's publisher decide
  // (checked per application); auditors and admins may list.
  registerAdminApplicationRoutes(app);
  // The audit log: auditors and admins only.
  app.use('/v1/admin/audit', requireRole('auditor', 'admin'));
  app.use('/v1/admin/audit/*', requireRole('auditor', 'admin'));
  registerAdminAuditRoutes(app);

  registerSecuritySchemes(app);
  app.notFound((c) => problemResponse(c, new KaifangError('not_found', `No operation at ${c.req.path}.`)));
  app.onError(onError);
  return app;
}

const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Link', 'RateLimit', 'RateLimit-Policy', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'];
const corsPreflight = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: CORS_EXPOSED_HEADERS, maxAge: 600 });
const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(',') };

/**
 * CORS for public routes: any origin, no credentials. Preflights are answered by Hono's
 * cors middleware. The requests themselves get the two headers through setAnswerHeaders,
 * errors included; that middleware would touch `c.res`, which makes Hono copy the
 * handler's response into a full WHATWG Response.
 */
const publicCors: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'OPTIONS') return corsPreflight(c, next);
  setAnswerHeaders(c, CORS_HEADERS);
  await next();
};
