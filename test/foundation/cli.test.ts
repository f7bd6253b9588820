import { PGlite } from '@electric-sql/pglite';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLE, runKaifang, startKaifang } from '../helpers/process';

const freshDir = () => mkdtempSync(join(tmpdir(), 'kaifang-cli-'));

describe('kaifang serve (embedded)', { timeout: 120_000 }, () => {
  it('prints its URLs, serves health, OpenAPI and docs, and keeps data across restarts', async () => {
    const dataDir = freshDir();
    const first = await startKaifang({ KAIFANG_DATA_DIR: dataDir });
    expect(first.stdout()).toContain(`API reference: ${first.url}/docs`);
    expect(first.stdout()).toContain(`OpenAPI:       ${first.url}/openapi.json`);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect((await (await fetch(`${first.url}/openapi.json`)).json()).openapi).toBe('3.1.0');
    expect(await (await fetch(`${first.url}/docs`)).text()).toContain('/docs/redoc.standalone.js');
    const firstInstance = await (await fetch(`${first.url}/readyz`)).json();
    expect(firstInstance).toEqual({ status: 'ready', database: 'pglite' });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // The embedded database persisted: the instance record written on first start is still there.
    const second = await startKaifang({ KAIFANG_DATA_DIR: dataDir });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const pg = await PGlite.create(join(dataDir, 'pgdata'));
    const { rows } = await pg.query<{ key: string; starts: number }>("select key, (value->>'starts')::int as starts from kaifang_meta where key = 'instance'");
    await pg.close();
    expect(rows).toEqual([{ key: 'instance', starts: 2 }]);
  });

  it('npm start builds a bundle that serves the API with the files shipped beside the code', async () => {
    const build = spawn(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
    expect((await once(build, 'exit'))[0]).toBe(0);
    const server = await startKaifang({ KAIFANG_DATA_DIR: freshDir() }, 60_000, BUNDLE);
    try {
      // Migrations (src/db/migrations), the policy and the agreement (policies/) and the Redoc bundle (node_modules) are all found from dist/.
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });
      const agreement = await fetch(`${server.url}/v1/data-use-agreement`);
      expect(agreement.status).toBe(200);
      expect((await fetch(`${server.url}/docs/redoc.standalone.js`)).status).toBe(200);
      expect((await fetch(`${server.url}/v1/datasets`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('finishes an in-flight request after SIGTERM before exiting', async () => {
    const server = await startKaifang({ KAIFANG_DATA_DIR: freshDir() });
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (chunk) => (response += chunk));
    // A chunked body: the request is in flight until its last chunk arrives.
    socket.write('POST /v1/admin/whoami HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.child.exitCode).toBeNull();
    socket.write('0\r\n\r\n');
    expect(await server.exited).toBe(0);
    socket.destroy();
    expect(response).toMatch(/^HTTP\/1\.1 401/);
    expect(response).toContain('application/problem+json');
  });

  it('refuses invalid settings with one line per problem and no stack trace', async () => {
    const run = runKaifang(['serve'], { PORT: '99999', LOG_LEVEL: 'chatty', KAIFANG_DATA_DIR: freshDir() });
    expect(await run.exited).toBe(1);
    const lines = run.stderr().trim().split('\n');
    expect(lines[0]).toBe('kaifang: invalid configuration');
    expect(lines.slice(1).map((line) => line.trim().split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT']);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });

  it('issues a token that the server accepts', async () => {
    const dataDir = freshDir();
    const tokenRun = runKaifang(['token', '--sub', 'chen.jing', '--role', 'steward', '--publisher', 'hefei-market'], { KAIFANG_DATA_DIR: dataDir });
    expect(await tokenRun.exited).toBe(0);
    const token = tokenRun.stdout().trim();
    const server = await startKaifang({ KAIFANG_DATA_DIR: dataDir });
    try {
      const response = await fetch(`${server.url}/v1/admin/whoami`, { headers: { authorization: `Bearer ${token}` } });
      expect(await response.json()).toEqual({ subject: 'chen.jing', roles: ['steward'], publisher: 'hefei-market' });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('rejects an unknown role', async () => {
    const run = runKaifang(['token', '--sub', 'x', '--role', 'root'], { KAIFANG_DATA_DIR: freshDir() });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('must be one of steward, approver, auditor, admin');
  });

  it('migrate applies migrations and exits', async () => {
    const run = runKaifang(['migrate'], { KAIFANG_DATA_DIR: freshDir() });
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('migrations applied (pglite)');
  });
});
