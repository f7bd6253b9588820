import { SignJWT } from 'jose';
import type { Role } from './identity';
import { EMBEDDED_ALGORITHM, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, type SigningKeys } from './signing-keys';

export interface TokenRequest {
  subject: string;
  roles: Role[];
  publisher?: string;
  ttlSeconds: number;
  nowMs: number;
}

/** Signs a short-lived steward token with the embedded issuer's key (`kaifang token`). */
export async function issueToken(keys: SigningKeys, request: TokenRequest): Promise<string> {
  const issuedAtSeconds = Math.floor(request.nowMs / 1000);
  return new SignJWT({ roles: request.roles, ...(request.publisher ? { publisher: request.publisher } : {}) })
    .setProtectedHeader({ alg: EMBEDDED_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuer(EMBEDDED_ISSUER)
    .setAudience(EMBEDDED_AUDIENCE)
    .setIssuedAt(issuedAtSeconds)
    .setExpirationTime(issuedAtSeconds + request.ttlSeconds)
    .sign(keys.privateKey);
}
