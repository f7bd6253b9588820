import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock';
import { KaifangError } from '../errors';
import { stewardClaimsSchema, type StewardIdentity } from './identity';
import { EMBEDDED_ALGORITHM, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from './signing-keys';

export type TokenVerifier = (token: string) => Promise<StewardIdentity>;

export type TrustedIssuer =
  | { kind: 'embedded'; publicKey: CryptoKey }
  | { kind: 'oidc'; issuer: string; audience: string; jwksUrl: string; algorithms: string[] };

// Tokens may be a few seconds early or late across machines; more would widen replay.
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Builds the verifier for steward tokens. Issuer, audience, expiry and algorithm are
 * always checked; the algorithm list never contains `none` or an HMAC algorithm, so a
 * token cannot choose how it is verified.
 */
export function createTokenVerifier(trusted: TrustedIssuer, clock: Clock): TokenVerifier {
  const key: CryptoKey | JWTVerifyGetKey =
    trusted.kind === 'embedded' ? trusted.publicKey : createRemoteJWKSet(new URL(trusted.jwksUrl), { timeoutDuration: 5000 });
  const options = {
    issuer: trusted.kind === 'embedded' ? EMBEDDED_ISSUER : trusted.issuer,
    audience: trusted.kind === 'embedded' ? EMBEDDED_AUDIENCE : trusted.audience,
    algorithms: trusted.kind === 'embedded' ? [EMBEDDED_ALGORITHM] : trusted.algorithms,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp', 'sub'],
  };
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key as CryptoKey, { ...options, currentDate: new Date(clock.nowMs()) }));
    } catch (error) {
      throw new KaifangError('invalid_token', describeJoseFailure(error));
    }
    const claims = stewardClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new KaifangError('forbidden', 'The token is valid but carries no Kaifang role this API knows (claims `roles` and optional `publisher`).');
    }
    return { subject: claims.data.sub, roles: claims.data.roles, publisher: claims.data.publisher };
  };
}

// The reason is safe to show: it never includes the token or its claims' values.
function describeJoseFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's \`${error.claim}\` claim is not accepted.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm this API does not accept.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature does not verify.';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'No trusted key matches the token.';
  if (error instanceof joseErrors.JOSEError) return 'The token is malformed or cannot be verified.';
  return 'The token cannot be verified.';
}
