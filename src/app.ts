// buildApp composes the HTTP layer from its dependencies. No business logic lives
// here: this file says which middleware guards which routes, so the security
// boundary of the whole API can be read in one place.
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv, AppRouter } from './api/context';
import { observe } from './api/middleware/observe';
import { requireRole, requireStewardToken } from './api/middleware/steward';
import { onError } from './api/on-error';
import { registerSecuritySchemes } from './api/openapi';
import { problemResponse } from './api/problem';
import { registerAdminRoutes } from './api/routes/admin/index';
import { registerDocsRoutes } from './api/routes/docs/index';
import { registerOpsRoutes } from './api/routes/ops/index';
import { validationHook } from './api/validation';
import { KaifangError } from './errors';

// An incoming X-Request-Id is kept when it is short and plain, so a caller can
// correlate its own logs; anything else is replaced by a fresh UUID.
const REQUEST_ID_MAX_CHARS = 128;
const STREAMED_UPLOAD_PATH = /^\/v1\/admin\/datasets\/[^/]+\/versions$/;

export function buildApp(deps: AppDeps): AppRouter {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestId({ headerName: 'X-Request-Id', limitLength: REQUEST_ID_MAX_CHARS }));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', observe());
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: () => {
      throw new KaifangError('payload_too_large', `The request body exceeds ${deps.config.maxBodyBytes} bytes.`);
    },
  });
  // CSV imports stream far larger bodies; the reader enforces MAX_IMPORT_BYTES as it reads.
  app.use('*', (c, next) => (c.req.method === 'POST' && STREAMED_UPLOAD_PATH.test(c.req.path) ? next() : limitBody(c, next)));
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

  // Steward routes: a verified steward token on everything under /v1/admin.
  app.use('/v1/admin/*', requireStewardToken());
  app.use('/v1/admin/*', requireRole('steward', 'approver', 'auditor', 'admin'));
  registerAdminRoutes(app);

  registerSecuritySchemes(app);
  app.notFound((c) => problemResponse(c, new KaifangError('not_found', `No operation at ${c.req.path}.`)));
  app.onError(onError);
  return app;
}

const publicCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'OPTIONS'],
  exposeHeaders: ['X-Request-Id', 'Link'],
  maxAge: 600,
});
