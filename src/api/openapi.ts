import type { AppRouter } from './context';

export const API_TITLE = 'Kaifang Open Data API';
export const API_VERSION = '1.0.0';

const API_DESCRIPTION = `Kaifang (开放) serves a city's open government data: a public catalog, queries and
exports of desensitized datasets for developers with API keys, conditional access by application,
and service capabilities that answer questions without disclosing data.

Every error is an RFC 9457 \`application/problem+json\` body with a stable \`code\`; the codes are
listed in the Problem schema and explained in docs/errors.md.

Who may call an operation is stated in its description: **public** (no credentials),
**API key** (\`Authorization: Bearer <key>\` or \`X-Api-Key\`), or **steward token**
(a JWT for /v1/admin routes).`;

/** Registers the security schemes the operations refer to. */
export function registerSecuritySchemes(app: AppRouter) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'stewardToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A steward, approver, auditor or admin token: from `kaifang token` in embedded mode, or from the configured OIDC identity provider.',
  });
}

/** The OpenAPI 3.1 document, generated from the registered routes (also used in-process by the SDK build). */
export function buildOpenApiDocument(app: AppRouter, serverUrl?: string) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: API_TITLE, version: API_VERSION, description: API_DESCRIPTION, license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' } },
    servers: serverUrl ? [{ url: serverUrl, description: 'This Kaifang instance' }] : [],
    tags: [
      { name: 'Catalog', description: 'Open datasets: search, metadata, DCAT and Data Package descriptions. No key needed.' },
      { name: 'Data', description: 'Records, aggregates and exports of published datasets (API key).' },
      { name: 'Operations', description: 'Liveness, readiness and metrics.' },
      { name: 'Admin', description: 'Steward and administrator work (steward token).' },
    ],
  });
}
