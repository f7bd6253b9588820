// Runs the shell steps of docs/getting-started.md, as written, against a fresh server:
// if the guide and the product drift apart, this fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKaifang, type ServerProcess } from '../helpers/process';

const guide = readFileSync(new URL('../../docs/getting-started.md', import.meta.url), 'utf8');
const blocks = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);

// The guide's commands run in the checkout, as a newcomer runs them (npm scripts, the SDK workspace).
const root = fileURLToPath(new URL('../..', import.meta.url));
const exported = join(root, 'service-halls.csv');

let server: ServerProcess;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'kaifang-guide-'));
  // Step 1 of the guide is `npm install && npm start`: the same server, on a free port.
  server = await startKaifang({ KAIFANG_DATA_DIR: join(workDir, 'data'), SEED_DEMO_DATA: 'true' }, 120_000);
}, 150_000);
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(exported, { force: true });
});

describe('docs/getting-started.md', { timeout: 120_000 }, () => {
  it('starts with npm install && npm start', () => {
    expect(blocks[0]).toContain('npm install && npm start');
  });

  it('every later step works as written', () => {
    const host = new URL(server.url).host;
    const script = ['set -euo pipefail', ...blocks.slice(1).map((block) => `echo "--- step"\n${block}`)].join('\n').replaceAll('127.0.0.1:8787', host);
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: workDir }, timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const steps = run.stdout.split('--- step\n').slice(1);
    expect(steps).toHaveLength(blocks.length - 1);
    expect(JSON.parse(steps[0]!).data[0].title).toBe('社保卡办理网点');
    expect(JSON.parse(steps[1]!).slug).toBe('service-halls');
    expect(steps[2]!.trim()).toMatch(/^kf_live_[0-9A-Za-z]+$/);
    const firstQuery = JSON.parse(steps[3]!);
    expect(firstQuery.data).toHaveLength(3);
    expect(firstQuery.count).toBe(40);
    const filtered = JSON.parse(steps[4]!);
    expect(filtered.data.length).toBeGreaterThan(0);
    expect(filtered.data.every((row: Record<string, string>) => row.c2 === '蜀山区')).toBe(true);
    expect(readFileSync(exported, 'utf8').split('\n').length).toBeGreaterThan(40);
    const sdkCall = JSON.parse(steps[6]!.trim().split('\n').at(-1)!);
    expect(sdkCall.count).toBe(40);
    expect(sdkCall.first.c2).toEqual(expect.any(String));
  });
});
