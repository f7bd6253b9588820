import { createRoute, z } from '@hono/zod-openapi';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AppRouter } from '../../context';
import { API_TITLE } from '../../openapi';

// The machine running Kaifang may have no internet, and a docs page must not leak its
// visitors to a CDN: Redoc's standalone bundle is served from the installed package.
const REDOC_BUNDLE_PATH = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');

// Redoc renders with inline styles and runs its search index in a blob: worker;
// everything else must come from this origin.
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${API_TITLE} — reference</title>
</head>
<body>
<redoc spec-url="/openapi.json" hide-download-button="false"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
`;

const htmlResponse = { 'text/html': { schema: z.string().openapi({ description: 'An HTML page.' }) } };

export const docsRoute = createRoute({
  operationId: 'getDocs',
  method: 'get',
  path: '/docs',
  tags: ['Operations'],
  summary: 'API reference (Redoc)',
  description: 'Public. The API reference rendered by Redoc from /openapi.json, with every asset served by this instance.',
  responses: { 200: { description: 'The reference page.', content: htmlResponse } },
});

export const redocBundleRoute = createRoute({
  operationId: 'getDocsRedocBundle',
  method: 'get',
  path: '/docs/redoc.standalone.js',
  tags: ['Operations'],
  summary: 'Redoc bundle',
  description: 'Public. The Redoc standalone script from the installed `redoc` package.',
  responses: {
    200: { description: 'JavaScript.', content: { 'text/javascript': { schema: z.string().openapi({ description: 'JavaScript source.' }) } } },
  },
});

export function registerRedoc(app: AppRouter) {
  let bundle: Promise<string> | undefined;
  app.openapi(docsRoute, (c) => c.html(DOCS_HTML, 200, { 'Content-Security-Policy': DOCS_CSP }) as never);
  app.openapi(redocBundleRoute, async (c) => {
    bundle ??= readFile(REDOC_BUNDLE_PATH, 'utf8');
    return c.body(await bundle, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    }) as never;
  });
}
