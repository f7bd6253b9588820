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

// Redoc's sidebar footer shows a logo from Redocly's CDN; the bundle is served with that
// one address pointed at a small local image instead, so the page loads nothing remote.
const REMOTE_LOGO_URL = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const LOCAL_LOGO_PATH = '/docs/redoc-logo.svg';
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="2" y="1" width="12" height="14" rx="2" fill="none" stroke="#32329f" stroke-width="1.5"/><path d="M5 5h6M5 8h6M5 11h4" stroke="#32329f" stroke-width="1.5"/></svg>`;

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
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

export const redocLogoRoute = createRoute({
  operationId: 'getDocsLogo',
  method: 'get',
  path: LOCAL_LOGO_PATH,
  tags: ['Operations'],
  summary: 'Docs logo',
  description: 'Public. A small local image the reference page shows in its sidebar footer.',
  responses: {
    200: { description: 'SVG image.', content: { 'image/svg+xml': { schema: z.string().openapi({ description: 'SVG source.' }) } } },
  },
});

export function registerRedoc(app: AppRouter) {
  let bundle: Promise<string> | undefined;
  app.openapi(redocLogoRoute, (c) => c.body(LOGO_SVG, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }) as never);
  app.openapi(docsRoute, (c) => c.html(DOCS_HTML, 200, { 'Content-Security-Policy': DOCS_CSP }) as never);
  app.openapi(redocBundleRoute, async (c) => {
    bundle ??= readFile(REDOC_BUNDLE_PATH, 'utf8').then((source) => source.replaceAll(REMOTE_LOGO_URL, LOCAL_LOGO_PATH));
    return c.body(await bundle, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    }) as never;
  });
}
