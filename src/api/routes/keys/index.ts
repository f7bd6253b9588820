import type { AppRouter } from '../../context';
import { registerCreateKey } from './create-key';
import { registerListKeys } from './list-keys';
import { registerRevokeKey } from './revoke-key';
import { registerRotateKey } from './rotate-key';

/** A developer's own keys; guarded by requireApiKey({ scope: 'keys:manage' }) in app.ts. */
export function registerKeyRoutes(app: AppRouter) {
  registerListKeys(app);
  registerCreateKey(app);
  registerRotateKey(app);
  registerRevokeKey(app);
}

/** The two ways to send an API key, as OpenAPI security schemes. */
export function registerApiKeySecuritySchemes(app: AppRouter) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyBearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'kf_live_…',
    description: 'A developer API key as `Authorization: Bearer <key>`. Keys in the query string are refused.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyHeader', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
    description: 'A developer API key as `X-Api-Key: <key>`.',
  });
}
