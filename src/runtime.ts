// Builds the dependencies a process needs from its configuration, once. Tests use the
// same pieces with an in-memory database and a manual clock.
import type { AppDeps } from './api/context';
import { loadOrCreateSigningKeys } from './auth/signing-keys';
import { createTokenVerifier, type TrustedIssuer } from './auth/verify-token';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { openDatabase } from './db/client';
import { createKeysRuntime } from './keys/runtime';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';
import { loadPolicyFile } from './privacy/index';

export async function trustedIssuerFor(config: Config): Promise<TrustedIssuer> {
  if (config.oidc) return { kind: 'oidc', ...config.oidc };
  const keys = await loadOrCreateSigningKeys(config.dataDir);
  return { kind: 'embedded', publicKey: keys.publicKey };
}

/** Opens the database, applies migrations and assembles the app's dependencies. */
export async function createRuntime(config: Config, options: { logger?: Logger; clock?: Clock } = {}): Promise<AppDeps> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  // Before the database opens: a broken policy must stop the process with its own message.
  const policy = await loadPolicyFile(config.policyFile);
  const db = await openDatabase(
    config.database.kind === 'embedded' ? { kind: 'embedded', dataDir: config.database.dataDir } : config.database,
  );
  try {
    await db.migrate();
    const metrics = createMetrics({ processMetrics: true });
    return {
      config,
      db,
      logger,
      clock,
      metrics,
      verifyToken: createTokenVerifier(await trustedIssuerFor(config), clock),
      policy,
      keys: await createKeysRuntime({ config: config.keys, redisUrl: config.redisUrl, db, clock, logger, registry: metrics.registry }),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
