// needs: postgres
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { openDatabase, type Database } from '../../src/db/client';
import { createKeysRuntime, type KeysRuntime } from '../../src/keys/runtime';
import { createLogger } from '../../src/logger';
import { createTestApp, type TestApp } from '../helpers/app';
import { testDatabaseUrl } from '../helpers/database';
import { keyed, signUp } from './helpers';

describe.runIf(testDatabaseUrl)('revocation through Postgres LISTEN/NOTIFY', () => {
  let t: TestApp;
  let otherDb: Database;
  let peer: KeysRuntime;

  beforeAll(async () => {
    t = await createTestApp({ SIGNUP_RATE_LIMIT: '100' });
    // A second instance: its own connection pool and listener on the same database.
    otherDb = await openDatabase(t.database.target);
    peer = await createKeysRuntime({ config: t.deps.config.keys, redisUrl: undefined, db: otherDb, clock: t.clock, logger: createLogger('silent'), registry: new Registry() });
  });
  afterAll(async () => {
    await peer?.close();
    await otherDb?.close();
    await t?.close();
  });

  it('drops the cached key on the other instance within a second', async () => {
    expect(t.deps.keys.bus.transport).toBe('postgres');
    expect(peer.bus.transport).toBe('postgres');
    for (const action of ['revoke', 'suspend'] as const) {
      const dev = await signUp(t);
      await peer.verifier.verify(dev.key);
      await peer.verifier.verify(dev.key);
      if (action === 'revoke') {
        expect((await keyed(t, dev.key, `/v1/keys/${dev.keyId}`, { method: 'DELETE' })).status).toBe(204);
      } else {
        const admin = await t.token({ sub: 'ops', roles: ['admin'] });
        expect((await t.app.request(`/v1/admin/accounts/${dev.accountId}/suspend`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } })).status).toBe(200);
      }
      const deadline = Date.now() + 1000;
      let error: unknown;
      while (!error && Date.now() < deadline) {
        error = await peer.verifier.verify(dev.key).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (!error) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((error as { code?: string } | undefined)?.code, action).toBe(action === 'revoke' ? 'invalid_api_key' : 'account_suspended');
    }
  });
});
