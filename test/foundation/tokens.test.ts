import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRole } from '../../src/api/middleware/steward';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '../../src/auth/signing-keys';
import { createTokenVerifier } from '../../src/auth/verify-token';
import { manualClock } from '../../src/clock';
import { KaifangError } from '../../src/errors';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Routes must be registered before the first request builds the router.
  t.app.get('/v1/admin/probe-approver-only', requireRole('approver'), (c) => c.json({ ok: true }));
});
afterAll(async () => t.close());

const nowSeconds = () => Math.floor(t.clock.nowMs() / 1000);

function whoami(token: string) {
  return t.app.request('/v1/admin/whoami', { headers: { authorization: `Bearer ${token}` } });
}

function signed(claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expiresInSeconds?: number; key?: CryptoKey } = {}) {
  return new SignJWT({ roles: ['steward'], ...claims })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('li.na')
    .setIssuer(options.issuer ?? EMBEDDED_ISSUER)
    .setAudience(options.audience ?? EMBEDDED_AUDIENCE)
    .setIssuedAt(nowSeconds())
    .setExpirationTime(nowSeconds() + (options.expiresInSeconds ?? 600))
    .sign(options.key ?? t.signingKeys.privateKey);
}

describe('embedded issuer tokens', () => {
  it('a good token proves identity, roles and publisher', async () => {
    const response = await whoami(await t.token({ sub: 'li.na', roles: ['steward', 'approver'], publisher: 'hefei-data' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: 'li.na', roles: ['steward', 'approver'], publisher: 'hefei-data' });
  });

  it('an expired token is refused once the clock passes its expiry', async () => {
    const token = await t.token({ sub: 'li.na', roles: ['steward'], ttlSeconds: 60 });
    expect((await whoami(token)).status).toBe(200);
    t.clock.advanceMs(66_000);
    const response = await whoami(token);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'invalid_token', detail: 'The token has expired.' });
  });

  it('a wrong issuer is refused', async () => {
    const response = await whoami(await signed({}, { issuer: 'https://evil.example' }));
    expect(response.status).toBe(401);
    expect((await response.json()).detail).toContain('iss');
  });

  it('a wrong audience is refused', async () => {
    const response = await whoami(await signed({}, { audience: 'some-other-api' }));
    expect(response.status).toBe(401);
    expect((await response.json()).detail).toContain('aud');
  });

  it('alg none is refused', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'mallory', roles: ['admin'], iss: EMBEDDED_ISSUER, aud: EMBEDDED_AUDIENCE, exp: nowSeconds() + 600 })}.`;
    const response = await whoami(unsigned);
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('invalid_token');
  });

  it('a tampered payload fails the signature check', async () => {
    const [header, , signature] = (await t.token({ sub: 'li.na', roles: ['steward'] })).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'li.na', roles: ['admin'], iss: EMBEDDED_ISSUER, aud: EMBEDDED_AUDIENCE, exp: nowSeconds() + 600 })).toString('base64url');
    const response = await whoami(`${header}.${forgedPayload}.${signature}`);
    expect(response.status).toBe(401);
    expect((await response.json()).detail).toBe('The token signature does not verify.');
  });

  it('a token signed by another key is refused', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    expect((await whoami(await signed({}, { key: privateKey }))).status).toBe(401);
  });

  it('an HMAC token made with the public key as secret is refused', async () => {
    const publicJwk = await exportJWK(t.signingKeys.publicKey);
    const token = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer(EMBEDDED_ISSUER)
      .setAudience(EMBEDDED_AUDIENCE)
      .setExpirationTime(nowSeconds() + 600)
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    expect((await whoami(token)).status).toBe(401);
  });

  it('a token with an unknown role is forbidden', async () => {
    const response = await whoami(await signed({ roles: ['root'] }));
    expect(response.status).toBe(403);
  });

  it('a non-Bearer Authorization header is refused', async () => {
    const response = await t.app.request('/v1/admin/whoami', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.status).toBe(401);
  });
});

describe('requireRole', () => {
  it('lets the named roles through and refuses the others', async () => {
    const approver = await t.token({ sub: 'wang', roles: ['approver'] });
    const steward = await t.token({ sub: 'zhao', roles: ['steward'] });
    expect((await t.app.request('/v1/admin/probe-approver-only', { headers: { authorization: `Bearer ${approver}` } })).status).toBe(200);
    const denied = await t.app.request('/v1/admin/probe-approver-only', { headers: { authorization: `Bearer ${steward}` } });
    expect(denied.status).toBe(403);
    expect((await denied.json()).detail).toContain('approver');
  });
});

describe('external OIDC issuer', () => {
  let jwksServer: Server;
  let jwksUrl: string;
  let idpKey: CryptoKey;
  const issuer = 'https://idp.city.example';
  const audience = 'kaifang-admin';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    idpKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

  const idpToken = (overrides: { iss?: string; aud?: string; exp?: number } = {}) =>
    new SignJWT({ roles: ['auditor'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setSubject('auditor-7')
      .setIssuer(overrides.iss ?? issuer)
      .setAudience(overrides.aud ?? audience)
      .setExpirationTime(overrides.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(idpKey);

  it('verifies issuer, audience and expiry against the remote JWKS', async () => {
    const verify = createTokenVerifier({ kind: 'oidc', issuer, audience, jwksUrl, algorithms: ['RS256'] }, manualClock(Date.now()));
    await expect(verify(await idpToken())).resolves.toEqual({ subject: 'auditor-7', roles: ['auditor'], publisher: undefined });
    await expect(verify(await idpToken({ iss: 'https://other.example' }))).rejects.toBeInstanceOf(KaifangError);
    await expect(verify(await idpToken({ aud: 'other' }))).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(verify(await idpToken({ exp: Math.floor(Date.now() / 1000) - 3600 }))).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('refuses an algorithm outside the configured list', async () => {
    const verify = createTokenVerifier({ kind: 'oidc', issuer, audience, jwksUrl, algorithms: ['ES256'] }, manualClock(Date.now()));
    await expect(verify(await idpToken())).rejects.toMatchObject({ code: 'invalid_token', message: expect.stringContaining('algorithm') });
  });
});
