import type { TestApp } from '../helpers/app';

export interface SignedUp {
  accountId: string;
  key: string;
  keyId: string;
}

let counter = 0;

/** Signs a developer up through the API; each call uses a fresh email and client IP. */
export async function signUp(t: TestApp, body: Record<string, unknown> = {}): Promise<SignedUp> {
  counter += 1;
  const response = await t.app.request('/v1/accounts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${counter % 250}` },
    body: JSON.stringify({ name: 'Wang Fang', email: `dev${counter}-${Math.random().toString(36).slice(2)}@example.com`, ...body }),
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const json = (await response.json()) as { account: { id: string }; key: { key: string; id: string } };
  return { accountId: json.account.id, key: json.key.key, keyId: json.key.id };
}

/** A request with an API key (Authorization: Bearer by default). */
export function keyed(t: TestApp, key: string, path: string, init: { method?: string; body?: unknown; header?: 'bearer' | 'x-api-key'; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.header === 'x-api-key' ? { 'X-Api-Key': key } : { Authorization: `Bearer ${key}` }), ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return t.app.request(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}
