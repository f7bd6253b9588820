import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/keys/key-format';
import { createTestApp, type TestApp } from '../helpers/app';
import { keyed, signUp, type SignedUp } from './helpers';

let t: TestApp;
const issuedKeys: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ SIGNUP_RATE_LIMIT: '1000', TRUSTED_PROXY_HOPS: '1' });
});
afterAll(async () => {
  // No log line may ever contain a key, whatever happened above.
  const log = t.logLines.join('\n');
  for (const key of issuedKeys) expect(log).not.toContain(key);
  expect(log).not.toMatch(/kf_live_[0-9A-Za-z]{20,}/);
  await t.close();
});

async function developer(body: Record<string, unknown> = {}): Promise<SignedUp> {
  const account = await signUp(t, body);
  issuedKeys.push(account.key);
  return account;
}

async function expectProblem(response: Response, status: number, code: string): Promise<{ detail: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = await response.json();
  expect(body.code).toBe(code);
  return body;
}

async function createKey(owner: SignedUp, body: Record<string, unknown>) {
  const response = await keyed(t, owner.key, '/v1/keys', { method: 'POST', body });
  expect(response.status).toBe(201);
  const json = await response.json();
  issuedKeys.push(json.key);
  return json as { id: string; key: string; prefix: string; scopes: string[]; status: string; expiresAt: string | null };
}

describe('sign-up', () => {
  it('creates an account and returns its first key once, with every scope', async () => {
    const response = await t.app.request('/v1/accounts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Li Lei', email: 'Li.Lei@Example.com', organization: 'Hefei Transit Apps', creditCode: '91340100ma2n0kxx4j'.toUpperCase().replace(/.$/, '') + checkChar('91340100MA2N0KXX4') }),
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    issuedKeys.push(body.key.key);
    expect(body.account).toMatchObject({ email: 'li.lei@example.com', plan: 'free', status: 'active', organization: 'Hefei Transit Apps' });
    expect(body.key.key).toMatch(/^kf_live_[0-9A-Za-z]{28}$/);
    expect(body.key.key.startsWith(body.key.prefix)).toBe(true);
    expect(body.key.scopes).toEqual(['data:read', 'keys:manage', 'usage:read', 'capabilities:invoke', 'applications:manage']);
    // Only the hash and the prefix are stored.
    const rows = await t.deps.db.rows<Record<string, unknown>>((await import('drizzle-orm')).sql`select * from api_keys where id = ${body.key.id}`);
    expect(JSON.stringify(rows)).not.toContain(body.key.key);
    // Never returned again.
    const list = await (await keyed(t, body.key.key, '/v1/keys')).json();
    expect(JSON.stringify(list)).not.toContain(body.key.key);
  });

  it('validates the email and the unified social credit code, and refuses a second account for one email', async () => {
    const post = (body: unknown) => t.app.request('/v1/accounts', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await expectProblem(await post({ name: 'A', email: 'not-an-email' }), 400, 'validation_failed');
    expect(JSON.stringify(bad)).toContain('body.email');
    const badCode = await post({ name: 'A', email: 'a@example.com', organization: 'X', creditCode: '91340100MA2N0KXX4A' });
    const badCodeBody = await expectProblem(badCode, 400, 'validation_failed');
    expect(JSON.stringify(badCodeBody)).toContain('body.creditCode');
    expect((await post({ name: 'A', email: 'same@example.com' })).status).toBe(201);
    await expectProblem(await post({ name: 'B', email: 'SAME@example.com' }), 409, 'conflict');
  });
});

function checkChar(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(first17[i]!) * (3 ** i % 31);
  return alphabet[(31 - (sum % 31)) % 31]!;
}

describe('keys', () => {
  it('lists, creates with scopes and expiry, accepts both headers', async () => {
    const owner = await developer();
    const created = await createKey(owner, { name: 'reader', scopes: ['data:read'], expiresAt: new Date(t.clock.nowMs() + 86_400_000).toISOString() });
    expect(created).toMatchObject({ scopes: ['data:read'], status: 'active' });
    const list = await (await keyed(t, owner.key, '/v1/keys', { header: 'x-api-key' })).json();
    expect(list.data.map((k: { id: string }) => k.id).sort()).toEqual([owner.keyId, created.id].sort());
  });

  it('refuses a key that tries to grant scopes it does not hold, and an expiry in the past', async () => {
    const owner = await developer();
    const manager = await createKey(owner, { name: 'manager', scopes: ['keys:manage'] });
    const widened = await keyed(t, manager.key, '/v1/keys', { method: 'POST', body: { name: 'x', scopes: ['data:read'] } });
    expect((await expectProblem(widened, 403, 'forbidden')).detail).toContain('data:read');
    const past = await keyed(t, owner.key, '/v1/keys', { method: 'POST', body: { name: 'x', scopes: ['data:read'], expiresAt: '2020-01-01T00:00:00Z' } });
    await expectProblem(past, 400, 'validation_failed');
  });

  it('expires a key at its expiry, by the clock', async () => {
    const owner = await developer();
    const short = await createKey(owner, { name: 'short', scopes: ['keys:manage'], expiresAt: new Date(t.clock.nowMs() + 60_000).toISOString() });
    expect((await keyed(t, short.key, '/v1/keys')).status).toBe(200);
    t.clock.advanceMs(60_000);
    expect((await expectProblem(await keyed(t, short.key, '/v1/keys'), 401, 'invalid_api_key')).detail).toContain('expired');
    const list = await (await keyed(t, owner.key, '/v1/keys')).json();
    expect(list.data.find((k: { id: string }) => k.id === short.id).status).toBe('expired');
  });

  it('rotates: a new key now, the old one until the grace period ends, then refused', async () => {
    const owner = await developer();
    const old = await createKey(owner, { name: 'svc', scopes: ['keys:manage', 'data:read'] });
    const response = await keyed(t, owner.key, `/v1/keys/${old.id}/rotate`, { method: 'POST', body: { gracePeriodSeconds: 3600 } });
    expect(response.status).toBe(201);
    const rotated = await response.json();
    issuedKeys.push(rotated.key.key);
    expect(rotated.key).toMatchObject({ name: 'svc', scopes: ['keys:manage', 'data:read'], status: 'active' });
    expect(rotated.previous).toMatchObject({ id: old.id, status: 'rotating', replacedBy: rotated.key.id, expiresAt: new Date(t.clock.nowMs() + 3_600_000).toISOString() });
    expect((await keyed(t, old.key, '/v1/keys')).status).toBe(200);
    t.clock.advanceMs(3_599_000);
    expect((await keyed(t, old.key, '/v1/keys')).status).toBe(200);
    t.clock.advanceMs(1000);
    await expectProblem(await keyed(t, old.key, '/v1/keys'), 401, 'invalid_api_key');
    expect((await keyed(t, rotated.key.key, '/v1/keys')).status).toBe(200);
    // Rotated once only.
    await expectProblem(await keyed(t, owner.key, `/v1/keys/${old.id}/rotate`, { method: 'POST' }), 409, 'conflict');
  });

  it('rotates with the default grace period of 24 hours', async () => {
    const owner = await developer();
    const old = await createKey(owner, { name: 'svc', scopes: ['keys:manage'] });
    const rotated = await (await keyed(t, owner.key, `/v1/keys/${old.id}/rotate`, { method: 'POST' })).json();
    issuedKeys.push(rotated.key.key);
    expect(Date.parse(rotated.previous.expiresAt) - t.clock.nowMs()).toBe(86_400_000);
  });

  it('revokes at once, even a key that was just verified and cached', async () => {
    const owner = await developer();
    const victim = await createKey(owner, { name: 'v', scopes: ['keys:manage'] });
    expect((await keyed(t, victim.key, '/v1/keys')).status).toBe(200);
    expect((await keyed(t, owner.key, `/v1/keys/${victim.id}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await keyed(t, victim.key, '/v1/keys'), 401, 'invalid_api_key');
    // Idempotent.
    expect((await keyed(t, owner.key, `/v1/keys/${victim.id}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await keyed(t, owner.key, `/v1/keys/${victim.id}/rotate`, { method: 'POST' }), 409, 'conflict');
  });

  it('a key may revoke itself', async () => {
    const owner = await developer();
    expect((await keyed(t, owner.key, `/v1/keys/${owner.keyId}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await keyed(t, owner.key, '/v1/keys'), 401, 'invalid_api_key');
  });
});

describe('denied', () => {
  let owner: SignedUp;
  let other: SignedUp;
  beforeAll(async () => {
    owner = await developer();
    other = await developer();
  });

  it('without a key', async () => {
    for (const [method, path] of [['GET', '/v1/keys'], ['POST', '/v1/keys'], ['POST', `/v1/keys/${owner.keyId}/rotate`], ['DELETE', `/v1/keys/${owner.keyId}`], ['GET', '/v1/usage']] as const) {
      const body = await expectProblem(await t.app.request(path, { method }), 401, 'unauthorized');
      expect(body.detail).toContain('API key');
    }
  });

  it('with a malformed key or a bad checksum, without a database lookup', async () => {
    const malformed = await expectProblem(await keyed(t, 'kf_live_short', '/v1/keys'), 401, 'invalid_api_key');
    expect(malformed.detail).toContain('malformed');
    const typo = owner.key.slice(0, 10) + (owner.key[10] === 'a' ? 'b' : 'a') + owner.key.slice(11);
    const checksum = await expectProblem(await keyed(t, typo, '/v1/keys'), 401, 'invalid_api_key');
    expect(checksum.detail).toContain('checksum');
    await expectProblem(await t.app.request('/v1/keys', { headers: { Authorization: 'Basic abc' } }), 401, 'invalid_api_key');
  });

  it('with a well-formed key nobody issued', async () => {
    const body = await expectProblem(await keyed(t, generateKey().key, '/v1/keys'), 401, 'invalid_api_key');
    expect(body.detail).toContain('unknown or has been revoked');
  });

  it('with a key lacking the scope', async () => {
    const reader = await createKey(owner, { name: 'reader', scopes: ['data:read'] });
    for (const [method, path] of [['GET', '/v1/keys'], ['POST', `/v1/keys/${owner.keyId}/rotate`], ['DELETE', `/v1/keys/${owner.keyId}`], ['GET', '/v1/usage']] as const) {
      const body = await expectProblem(await keyed(t, reader.key, path, { method }), 403, 'forbidden');
      expect(body.detail).toMatch(/keys:manage|usage:read/);
    }
  });

  it("on another account's key ids, exactly as for unknown ids", async () => {
    const theirs = await createKey(other, { name: 'theirs', scopes: ['data:read'] });
    const rotate = await expectProblem(await keyed(t, owner.key, `/v1/keys/${theirs.id}/rotate`, { method: 'POST' }), 404, 'not_found');
    const revoke = await expectProblem(await keyed(t, owner.key, `/v1/keys/${theirs.id}`, { method: 'DELETE' }), 404, 'not_found');
    const unknown = await expectProblem(await keyed(t, owner.key, `/v1/keys/00000000-0000-4000-8000-000000000000`, { method: 'DELETE' }), 404, 'not_found');
    expect(revoke.detail).toBe(unknown.detail);
    expect(rotate.detail).toBe(unknown.detail);
    const list = await (await keyed(t, owner.key, '/v1/keys')).json();
    expect(list.data.map((k: { id: string }) => k.id)).not.toContain(theirs.id);
    // Their key still works.
    const stillThere = await (await keyed(t, other.key, '/v1/keys')).json();
    expect(stillThere.data.find((k: { id: string }) => k.id === theirs.id).status).toBe('active');
  });

  it('with a key in the query string, saying why', async () => {
    for (const query of [`api_key=${owner.key}`, `apiKey=${owner.key}`, `key=${owner.key}`, `token=${owner.key}`]) {
      const body = await expectProblem(await t.app.request(`/v1/keys?${query}`), 400, 'api_key_in_query');
      expect(body.detail).toContain('query string');
      expect(body.detail).toContain('revoke');
      expect(JSON.stringify(body)).not.toContain(owner.key);
    }
  });

  it('when the account is suspended, for every key of it', async () => {
    const admin = await t.token({ sub: 'ops', roles: ['admin'] });
    const victim = await developer();
    const second = await createKey(victim, { name: 'second', scopes: ['keys:manage'] });
    expect((await keyed(t, second.key, '/v1/keys')).status).toBe(200);
    const suspend = await t.app.request(`/v1/admin/accounts/${victim.accountId}/suspend`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'abuse' }),
    });
    expect(suspend.status).toBe(200);
    for (const key of [victim.key, second.key]) await expectProblem(await keyed(t, key, '/v1/keys'), 403, 'account_suspended');
    const reinstate = await t.app.request(`/v1/admin/accounts/${victim.accountId}/reinstate`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    expect(reinstate.status).toBe(200);
    expect((await keyed(t, second.key, '/v1/keys')).status).toBe(200);
  });
});
