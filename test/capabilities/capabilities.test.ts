import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/capabilities/licence-verification';
import { demoLicences, seedCapabilityData } from '../../src/capabilities/index';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, setUpStewards, type Stewards } from '../helpers/admin';
import { keyed, signUp, type SignedUp } from '../keys/helpers';

let t: TestApp;
let tokens: Stewards;
let dev: SignedUp;
const licences = demoLicences();

beforeAll(async () => {
  t = await createTestApp({ IP_RATE_LIMIT: '100000', SIGNUP_RATE_LIMIT: '100000', KEY_PLANS: JSON.stringify({ free: { limit: 100000, dailyQuota: 1000000 } }) });
  tokens = await setUpStewards(t);
  expect(await seedCapabilityData(t.deps.db, t.deps.config.secret, t.clock)).toEqual({ licences: 240, guides: 120 });
  expect(await seedCapabilityData(t.deps.db, t.deps.config.secret, t.clock)).toEqual({ licences: 0, guides: 0 });
  dev = await signUp(t);
});
afterAll(async () => t.close());

const verify = (key: string, body: unknown) => keyed(t, key, '/v1/capabilities/licence-verification', { method: 'POST', body });

describe('the registry', () => {
  it('lists every capability with its schemas, scope, limit and grant need', async () => {
    const list = await (await t.app.request('/v1/capabilities')).json();
    expect(list.data.map((capability: { id: string }) => capability.id)).toEqual(['licence-verification', 'service-guide']);
    expect(list.data[0]).toMatchObject({ scope: 'capabilities:invoke', rateLimit: { limit: 30, windowSeconds: 3600 }, requiresGrant: null, path: '/v1/capabilities/licence-verification' });
    expect(Object.keys(list.data[0].input.properties)).toEqual(['type', 'number', 'holderName']);
  });

  it('puts each capability in the OpenAPI document with its own schemas', async () => {
    const document = await (await t.app.request('/openapi.json')).json();
    const operation = document.paths['/v1/capabilities/licence-verification'].post;
    expect(operation.operationId).toBe('invokeLicenceVerification');
    expect(operation.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LicenceVerificationInput');
    expect(operation.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/LicenceVerificationResult');
    expect(document.paths['/v1/capabilities/service-guide'].post.operationId).toBe('invokeServiceGuide');
  });

  it('needs a key with the capability scope', async () => {
    expect((await t.app.request('/v1/capabilities/service-guide', { method: 'POST', body: '{"code":"340100-001000-001"}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    const reader = (await (await keyed(t, dev.key, '/v1/keys', { method: 'POST', body: { name: 'reader', scopes: ['data:read'] } })).json()).key;
    const refused = await keyed(t, reader, '/v1/capabilities/service-guide', { method: 'POST', body: { code: '340100-001000-001' } });
    expect(refused.status).toBe(403);
    expect((await keyed(t, dev.key, '/v1/capabilities/no-such-thing', { method: 'POST', body: {} })).status).toBe(404);
  });
});

describe('licence verification', () => {
  const today = () => chinaDate(t.clock.nowMs());
  const pick = (predicate: (l: (typeof licences)[number]) => boolean) => licences.find(predicate)!;

  it('validates its input', async () => {
    const user = await signUp(t);
    for (const body of [{}, { type: 'passport', number: 'JY1340100000000', holderName: 'x' }, { type: 'food_business', number: 'JY1', holderName: 'x' }, { type: 'food_business', number: 'JY134010000000', holderName: 'x', extra: 1 }]) {
      const response = await verify(user.key, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).code).toBe('validation_failed');
    }
  });

  it('answers valid, expired and revoked with the dates, and nothing else', async () => {
    const user = await signUp(t);
    const valid = pick((l) => !l.revoked && l.validUntil >= today() && l.validFrom <= today());
    const expired = pick((l) => !l.revoked && l.validUntil < today());
    const revoked = pick((l) => l.revoked);
    const answer = async (l: typeof valid, holderName = l.holderName, number = l.number) => (await verify(user.key, { type: l.type, number, holderName })).json();
    expect(await answer(valid)).toEqual({ status: 'valid', validFrom: valid.validFrom, validUntil: valid.validUntil });
    expect(await answer(expired)).toEqual({ status: 'expired', validFrom: expired.validFrom, validUntil: expired.validUntil });
    expect((await answer(revoked)).status).toBe('revoked');
    // Width, case and spaces do not matter.
    expect((await answer(valid, ` ${valid.holderName} `, valid.number.toLowerCase().replace(/^(.{4})/, '$1 '))).status).toBe('valid');
  });

  it('gives byte-for-byte the same answer for an unknown number and a wrong holder', async () => {
    const user = await signUp(t);
    const known = pick((l) => l.type === 'food_business' && !l.revoked);
    const wrongName = await verify(user.key, { type: known.type, number: known.number, holderName: '合肥某某餐饮有限公司' });
    const unknown = await verify(user.key, { type: known.type, number: 'JY1340199999999', holderName: known.holderName });
    const wrongType = await verify(user.key, { type: 'drug_retail', number: known.number, holderName: known.holderName });
    const bodies = await Promise.all([wrongName, unknown, wrongType].map(async (response) => Buffer.from(await response.arrayBuffer())));
    expect(bodies[0]!.toString()).toBe('{"status":"no_match","validFrom":null,"validUntil":null}');
    expect(bodies[1]!.equals(bodies[0]!)).toBe(true);
    expect(bodies[2]!.equals(bodies[0]!)).toBe(true);
    const headerNames = (response: Response) => [...response.headers.keys()].sort();
    expect(headerNames(unknown)).toEqual(headerNames(wrongName));
    expect([wrongName.status, unknown.status, wrongType.status]).toEqual([200, 200, 200]);
    for (const name of ['content-type', 'content-length', 'ratelimit-policy']) expect(unknown.headers.get(name), name).toBe(wrongName.headers.get(name));
  });

  it('stores neither numbers nor holder names, and audits calls without them', async () => {
    const stored = JSON.stringify(await t.database.db.rows(sql`select * from licence_records`));
    for (const licence of licences.slice(0, 20)) {
      expect(stored).not.toContain(licence.number);
      expect(stored).not.toContain(licence.holderName);
    }
    const entries = await (await call(t, tokens.auditor, 'GET', '/v1/admin/audit?action=capability.invoked&target=capability:licence-verification')).json();
    expect(entries.data.length).toBeGreaterThan(3);
    const text = JSON.stringify(entries.data);
    for (const licence of licences) expect(text).not.toContain(licence.holderName);
    expect(entries.data[0].details).toEqual({ key: expect.any(String), licenceType: expect.any(String), status: expect.any(String) });
  });

  it('is limited tightly per account, across all its keys', async () => {
    const user = await signUp(t);
    const second = (await (await keyed(t, user.key, '/v1/keys', { method: 'POST', body: { name: 'second', scopes: ['capabilities:invoke'] } })).json()).key;
    const body = { type: 'food_business', number: 'JY1340100000001', holderName: '合肥某某餐饮有限公司' };
    const start = t.clock.nowMs();
    try {
      for (let i = 0; i < 30; i++) expect((await verify(i % 2 ? second : user.key, body)).status).toBe(200);
      const refused = await verify(user.key, body);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await verify(second, body)).status).toBe(429);
      // Another account is not affected, and the service guide has its own limit.
      expect((await verify(dev.key, body)).status).toBe(200);
      expect((await keyed(t, user.key, '/v1/capabilities/service-guide', { method: 'POST', body: { code: '340100-001000-001' } })).status).toBe(200);
      t.clock.advanceMs(3_600_000);
      expect((await verify(user.key, body)).status).toBe(200);
    } finally {
      t.clock.setMs(start);
    }
  });
});

describe('service guide lookup', () => {
  it('returns the public guide for a service item code', async () => {
    const response = await keyed(t, dev.key, '/v1/capabilities/service-guide', { method: 'POST', body: { code: '340100-001000-001' } });
    expect(response.status).toBe(200);
    const guide = await response.json();
    expect(guide).toMatchObject({ code: '340100-001000-001', name: '社保卡补办（蜀山区）', department: '市人力资源和社会保障局', fee: '不收费' });
    expect(guide.materials).toContain('居民身份证原件');
    expect(Object.keys(guide).sort()).toEqual(['code', 'department', 'fee', 'materials', 'name', 'onlineAvailable', 'timeLimitDays', 'updatedAt', 'visitsNeeded']);
  });

  it('answers 404 for an unknown code and 400 for a malformed one', async () => {
    expect((await keyed(t, dev.key, '/v1/capabilities/service-guide', { method: 'POST', body: { code: '340100-999999-001' } })).status).toBe(404);
    const malformed = await keyed(t, dev.key, '/v1/capabilities/service-guide', { method: 'POST', body: { code: '340100001000001' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors[0].location).toContain('code');
  });
});
