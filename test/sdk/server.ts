// A real Kaifang server for the SDK suites: the test app (its own database, a manual
// clock) served over HTTP on a free port, so the SDK's fetch goes through sockets,
// headers and streaming exactly as it does against a deployment.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { seedDemoData } from '../../src/datasets/seed-demo';
import { createTestApp, type TestApp } from '../helpers/app';

export interface SdkServer {
  t: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/** Limits high enough that only the tests that mean to hit one do. */
export const GENEROUS_LIMITS = {
  IP_RATE_LIMIT: '100000',
  SIGNUP_RATE_LIMIT: '1000',
  KEY_PLANS: JSON.stringify({ free: { limit: 100_000, dailyQuota: 1_000_000 } }),
};

export async function startSdkServer(env: Record<string, string> = {}, options: { seed?: boolean } = {}): Promise<SdkServer> {
  const t = await createTestApp({ ...GENEROUS_LIMITS, ...env });
  if (options.seed) {
    const { db, policy, config, clock, logger } = t.deps;
    await seedDemoData({ db, policy, secret: config.secret, maxImportBytes: config.maxImportBytes, clock }, logger);
  }
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await t.close();
    },
  };
}
