import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { keyed, signUp } from './helpers';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp({ SIGNUP_RATE_LIMIT: '100' });
  admin = await t.token({ sub: 'ops', roles: ['admin'] });
});
afterAll(async () => t.close());

const asAdmin = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  t.app.request(path, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${init.token ?? admin}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });

describe('admin: developer accounts', () => {
  it('lists accounts with plan, status and active keys, page by page', async () => {
    const created = [await signUp(t), await signUp(t), await signUp(t)];
    await keyed(t, created[0]!.key, '/v1/keys', { method: 'POST', body: { name: 'two', scopes: ['data:read'] } });
    const first = await (await asAdmin('/v1/admin/accounts?limit=2')).json();
    expect(first.data).toHaveLength(2);
    expect(first.next).toEqual(expect.any(String));
    const second = await (await asAdmin(`/v1/admin/accounts?limit=2&cursor=${first.next}`)).json();
    const all = [...first.data, ...second.data];
    expect(all.map((a: { id: string }) => a.id).sort()).toEqual(created.map((a) => a.accountId).sort());
    expect(all.find((a: { id: string }) => a.id === created[0]!.accountId)).toMatchObject({ activeKeys: 2, plan: 'free', status: 'active' });
  });

  it('suspends, filters by status, reinstates, sets a plan', async () => {
    const dev = await signUp(t);
    const suspended = await (await asAdmin(`/v1/admin/accounts/${dev.accountId}/suspend`, { method: 'POST', body: { reason: 'abuse' } })).json();
    expect(suspended).toMatchObject({ status: 'suspended', suspendedReason: 'abuse' });
    const list = await (await asAdmin('/v1/admin/accounts?status=suspended')).json();
    expect(list.data.map((a: { id: string }) => a.id)).toEqual([dev.accountId]);
    expect((await (await asAdmin(`/v1/admin/accounts/${dev.accountId}/reinstate`, { method: 'POST' })).json()).status).toBe('active');
    const bad = await asAdmin(`/v1/admin/accounts/${dev.accountId}/plan`, { method: 'PUT', body: { plan: 'platinum' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('body.plan');
    const planned = await asAdmin(`/v1/admin/accounts/${dev.accountId}/plan`, { method: 'PUT', body: { plan: 'enterprise' } });
    expect((await planned.json()).plan).toBe('enterprise');
  });

  it('answers 404 for unknown accounts', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await asAdmin(`/v1/admin/accounts/${missing}/suspend`, { method: 'POST' })).status).toBe(404);
    expect((await asAdmin(`/v1/admin/accounts/${missing}/plan`, { method: 'PUT', body: { plan: 'free' } })).status).toBe(404);
    expect((await asAdmin(`/v1/admin/accounts/${missing}/usage`)).status).toBe(404);
  });

  it('refuses stewards, approvers, auditors, API keys and anonymous callers', async () => {
    const dev = await signUp(t);
    for (const role of ['steward', 'approver', 'auditor'] as const) {
      const token = await t.token({ sub: 'x', roles: [role], publisher: 'hefei-data-bureau' });
      for (const [method, path] of [['GET', '/v1/admin/accounts'], ['POST', `/v1/admin/accounts/${dev.accountId}/suspend`], ['PUT', `/v1/admin/accounts/${dev.accountId}/plan`]] as const) {
        const response = await asAdmin(path, { method, token, body: method === 'PUT' ? { plan: 'enterprise' } : undefined });
        expect(response.status, `${role} ${method} ${path}`).toBe(403);
      }
    }
    expect((await t.app.request('/v1/admin/accounts')).status).toBe(401);
    expect((await keyed(t, dev.key, '/v1/admin/accounts')).status).toBe(401);
    expect((await keyed(t, dev.key, '/v1/keys')).status).toBe(200);
  });
});
