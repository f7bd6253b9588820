// Builds a real app against a real database for one test file: the same buildApp the
// server uses, with a manual clock, a temporary data directory and captured log lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AppDeps } from '../../src/api/context';
import type { Role } from '../../src/auth/identity';
import { issueToken } from '../../src/auth/issue-token';
import { loadOrCreateSigningKeys, type SigningKeys } from '../../src/auth/signing-keys';
import { createTokenVerifier } from '../../src/auth/verify-token';
import { buildApp } from '../../src/app';
import { manualClock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import { createKeysRuntime } from '../../src/keys/runtime';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { loadPolicyFile } from '../../src/privacy/index';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_START_MS = Date.parse('2026-03-01T08:00:00Z');

export interface TestApp {
  app: ReturnType<typeof buildApp>;
  deps: AppDeps;
  database: TestDatabase;
  clock: ReturnType<typeof manualClock>;
  signingKeys: SigningKeys;
  /** Every log line the app wrote, as text. */
  logLines: string[];
  token(claims: { sub: string; roles: Role[]; publisher?: string; ttlSeconds?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaifang-test-'));
  const config: Config = loadConfig({ KAIFANG_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env });
  const database = await createTestDatabase();
  const clock = manualClock(TEST_START_MS);
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const signingKeys = await loadOrCreateSigningKeys(dataDir);
  const logger = createLogger(config.logLevel, sink);
  const metrics = createMetrics({ processMetrics: false });
  const deps: AppDeps = {
    config,
    db: database.db,
    logger,
    metrics,
    clock,
    verifyToken: createTokenVerifier({ kind: 'embedded', publicKey: signingKeys.publicKey }, clock),
    policy: await loadPolicyFile(config.policyFile),
    keys: await createKeysRuntime({ config: config.keys, redisUrl: config.redisUrl, db: database.db, clock, logger, registry: metrics.registry }),
  };
  return {
    app: buildApp(deps),
    deps,
    database,
    clock,
    signingKeys,
    logLines,
    token: (claims) =>
      issueToken(signingKeys, { subject: claims.sub, roles: claims.roles, publisher: claims.publisher, ttlSeconds: claims.ttlSeconds ?? 3600, nowMs: clock.nowMs() }),
    async close() {
      await deps.keys.close();
      await database.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
