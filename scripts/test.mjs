#!/usr/bin/env node
// `npm test`: every suite on PGlite and in-memory backends, plus the real-service
// suites whose variables are set (TEST_DATABASE_URL, TEST_REDIS_URL). It says which
// suites it left out, and ends with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const services = { redis: 'TEST_REDIS_URL', postgres: 'TEST_DATABASE_URL', chromium: 'TEST_CHROMIUM' };

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

// A suite that needs a real service says so on a line `// needs: redis` (or postgres, or
// chromium: the path of a Chromium binary in TEST_CHROMIUM).
const leftOut = [];
for (const file of testFiles(join(root, 'test'))) {
  const needs = /^\/\/ needs: (.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.split(/,\s*/) ?? [];
  const missing = needs.filter((service) => !process.env[services[service]]);
  if (missing.length) leftOut.push(`${relative(root, file)} (needs ${missing.map((s) => services[s]).join(', ')})`);
}

const backend = process.env.TEST_DATABASE_URL ? 'real Postgres (TEST_DATABASE_URL)' : 'PGlite (embedded)';
console.log(`kaifang tests: database backend ${backend}; Redis ${process.env.TEST_REDIS_URL ? 'real (TEST_REDIS_URL)' : 'in-memory only'}`);

const reportDir = mkdtempSync(join(tmpdir(), 'kaifang-vitest-'));
const reportFile = join(reportDir, 'report.json');
const result = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});

if (!process.env.TEST_DATABASE_URL) console.log('left out: the real-Postgres run of every suite (set TEST_DATABASE_URL to include it)');
for (const line of leftOut) console.log(`left out: ${line}`);

try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  if (report.numTotalTests === 0) process.exit(1);
} catch {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.exit(result.status ?? 1);
