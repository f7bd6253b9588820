import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { testDatabaseUrl } from '../helpers/database';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('readyz', () => {
  it('is ready while the database answers', async () => {
    const response = await t.app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: t.database.db.kind });
  });

  it('flips to a 503 problem when the database goes away', async () => {
    if (t.database.target.kind === 'postgres' && testDatabaseUrl) {
      // A real outage: the server drops every connection to this database and refuses new ones.
      const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
      const name = new URL(t.database.target.url).pathname.slice(1);
      await admin.unsafe(`alter database ${name} with allow_connections false`);
      await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`);
      try {
        const response = await t.app.request('/readyz');
        expect(response.status).toBe(503);
        expect((await response.json()).code).toBe('database_unavailable');
      } finally {
        await admin.unsafe(`alter database ${name} with allow_connections true`);
        await admin.end();
      }
      // And back once the database is reachable again.
      const recovered = await t.app.request('/readyz');
      expect(recovered.status).toBe(200);
    } else {
      await t.database.db.close();
      const response = await t.app.request('/readyz');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect((await response.json()).code).toBe('database_unavailable');
    }
  });
});
