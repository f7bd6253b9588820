// In embedded mode Kaifang is its own token issuer. Its ES256 key pair is made once
// and kept in the data directory (owner-only), so tokens survive restarts and every
// process sharing the directory verifies the same tokens.
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const EMBEDDED_ISSUER = 'urn:kaifang:embedded-issuer';
export const EMBEDDED_AUDIENCE = 'urn:kaifang:admin-api';
export const EMBEDDED_ALGORITHM = 'ES256';

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Key id written into token headers. */
  kid: string;
}

const KEY_FILE = 'token-signing-key.jwk.json';

export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const { privateKey } = await generateKeyPair(EMBEDDED_ALGORITHM, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = `kf-${Date.now().toString(36)}`;
    try {
      writeFileSync(path, JSON.stringify({ ...jwk, kid, alg: EMBEDDED_ALGORITHM }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process sharing the directory made the key first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as JWK & { kid: string };
  const { d: _private, ...publicJwk } = stored;
  return {
    privateKey: (await importJWK(stored, EMBEDDED_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, EMBEDDED_ALGORITHM)) as CryptoKey,
    kid: stored.kid,
  };
}
