// API key verification on the hot path: cached verifications per second, and what a
// keyed request costs over the same request without a key (verify from cache + per-key
// and daily counters + usage metering), as p50/p99 of in-process `app.request` latency.
//
//   npx tsx bench/keys-verify.ts               (BENCH_VERIFY_OPS, BENCH_REQUESTS to size)
//
// Memory rate limiter and the embedded database: after the first lookup neither path
// touches the database, which is the point of the cache. The Redis limiter adds one
// round trip per keyed request (about 0.1 ms on a local Redis); not measured here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireApiKey } from '../src/api/middleware/api-key';
import type { AppDeps } from '../src/api/context';
import { buildApp } from '../src/app';
import { createTokenVerifier } from '../src/auth/verify-token';
import { loadOrCreateSigningKeys } from '../src/auth/signing-keys';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { createKeysRuntime } from '../src/keys/runtime';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { loadPolicyFile } from '../src/privacy/index';
import { report } from './lib/report';

const VERIFY_OPS = Number(process.env.BENCH_VERIFY_OPS ?? 500_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaifang-bench-keys-'));
  // Limits high enough never to refuse during the run; IP limit likewise.
  const config = loadConfig({
    KAIFANG_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    KEY_PLANS: JSON.stringify({ free: { limit: 1e9, dailyQuota: 1e9 } }),
    IP_RATE_LIMIT: '1000000000',
    USAGE_FLUSH_INTERVAL_MS: '1000',
  });
  const db = await openDatabase({ kind: 'embedded' });
  await db.migrate();
  const logger = createLogger('silent');
  const metrics = createMetrics({ processMetrics: false });
  const signingKeys = await loadOrCreateSigningKeys(dataDir);
  const deps: AppDeps = {
    config,
    db,
    logger,
    metrics,
    clock: systemClock,
    verifyToken: createTokenVerifier({ kind: 'embedded', publicKey: signingKeys.publicKey }, systemClock),
    policy: await loadPolicyFile(config.policyFile),
    keys: await createKeysRuntime({ config: config.keys, redisUrl: undefined, db, clock: systemClock, logger, registry: metrics.registry }),
  };
  const app = buildApp(deps);
  const payload = JSON.stringify({ data: Array.from({ length: 10 }, (_, i) => ({ id: i, name: `row ${i}` })) });
  // Outside /v1: no limiter and no key at all, the floor.
  app.get('/bench/bare', (c) => c.body(payload, 200, { 'Content-Type': 'application/json' }));
  app.get('/v1/bench/open', (c) => c.body(payload, 200, { 'Content-Type': 'application/json' }));
  app.get('/v1/bench/keyed', requireApiKey({ scope: 'data:read' }), (c) => c.body(payload, 200, { 'Content-Type': 'application/json' }));

  const signup = await app.request('/v1/accounts', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Bench', email: 'bench@example.com' }) });
  const { key } = ((await signup.json()) as { key: { key: string } }).key;

  // 1. Cached verifications (shape + checksum + SHA-256 + LRU lookup).
  await deps.keys.verifier.verify(key);
  const verifyStart = performance.now();
  for (let i = 0; i < VERIFY_OPS; i++) await deps.keys.verifier.verify(key);
  const verifySeconds = (performance.now() - verifyStart) / 1000;

  // 2. The same request with and without a key, interleaved so both see the same machine state.
  const bare: number[] = [];
  const open: number[] = [];
  const keyed: number[] = [];
  const headers = { Authorization: `Bearer ${key}` };
  for (let i = 0; i < 2000; i++) {
    await app.request('/v1/bench/open');
    await app.request('/v1/bench/keyed', { headers });
  }
  for (let i = 0; i < REQUESTS; i++) {
    let start = performance.now();
    await (await app.request('/bench/bare')).arrayBuffer();
    bare.push(performance.now() - start);
    start = performance.now();
    await (await app.request('/v1/bench/open')).arrayBuffer();
    open.push(performance.now() - start);
    start = performance.now();
    await (await app.request('/v1/bench/keyed', { headers })).arrayBuffer();
    keyed.push(performance.now() - start);
  }
  bare.sort((a, b) => a - b);
  open.sort((a, b) => a - b);
  keyed.sort((a, b) => a - b);
  const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  const p50Added = percentile(keyed, 50) - percentile(open, 50);
  const p99Added = percentile(keyed, 99) - percentile(open, 99);
  const p50OverBare = percentile(keyed, 50) - percentile(bare, 50);
  const p99OverBare = percentile(keyed, 99) - percentile(bare, 99);

  report([
    { bench: 'keys-verify', case: 'cached key verification', ops: VERIFY_OPS, unit: 'verifications', seconds: verifySeconds, peakRssMiB: undefined },
    {
      bench: 'keys-verify',
      case: 'request outside /v1 (no limiter)',
      ops: REQUESTS,
      unit: 'requests',
      seconds: bare.reduce((a, b) => a + b, 0) / 1000,
      peakRssMiB: undefined,
      note: `p50 ${fmt(percentile(bare, 50))}, p99 ${fmt(percentile(bare, 99))}`,
    },
    {
      bench: 'keys-verify',
      case: 'request without a key (per-IP limit)',
      ops: REQUESTS,
      unit: 'requests',
      seconds: open.reduce((a, b) => a + b, 0) / 1000,
      peakRssMiB: undefined,
      note: `p50 ${fmt(percentile(open, 50))}, p99 ${fmt(percentile(open, 99))}`,
    },
    {
      bench: 'keys-verify',
      case: 'same request with a key',
      ops: REQUESTS,
      unit: 'requests',
      seconds: keyed.reduce((a, b) => a + b, 0) / 1000,
      peakRssMiB: undefined,
      note: `p50 ${fmt(percentile(keyed, 50))}, p99 ${fmt(percentile(keyed, 99))}; over no key: p50 +${fmt(p50Added)}, p99 +${fmt(p99Added)}; over no limiter: p50 +${fmt(p50OverBare)}, p99 +${fmt(p99OverBare)}`,
    },
  ]);
  await deps.keys.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
