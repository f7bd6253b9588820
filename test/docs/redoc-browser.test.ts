// needs: chromium
// Loads /docs in headless Chromium (Debian's package, driven by playwright-core) and
// checks that Redoc renders every operation, logs no console error, and that the page
// makes no request that leaves this machine.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';

const executablePath = process.env.TEST_CHROMIUM;

let t: TestApp;
let server: ServerType;
let origin: string;
let browser: Browser;

describe.runIf(executablePath)('/docs in a browser', () => {
  beforeAll(async () => {
    t = await createTestApp();
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await t?.close();
  });

  it('renders every operation without console errors or requests off the machine', async () => {
    const document = await (await t.app.request('/openapi.json')).json();
    const operationIds = Object.values(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) =>
      Object.values(item).map((operation) => operation.operationId),
    );
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    const offMachine: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) offMachine.push(url);
    });
    await page.goto(`${origin}/docs`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[data-section-id^="operation/"]', { timeout: 20_000 });
    const rendered = await page.$$eval('[data-section-id^="operation/"]', (elements) => elements.map((element) => element.getAttribute('data-section-id')));
    const renderedIds = new Set(rendered.map((id) => id!.split('/').pop()));
    expect(operationIds.filter((id) => !renderedIds.has(id))).toEqual([]);
    expect(await page.title()).toContain('Kaifang');
    expect(consoleErrors).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/kaifang-docs.png` });
    await page.close();
  });
});
