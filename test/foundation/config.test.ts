import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const freshDir = () => mkdtempSync(join(tmpdir(), 'kaifang-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has working defaults in embedded mode', () => {
    const dataDir = freshDir();
    const config = loadConfig({ KAIFANG_DATA_DIR: dataDir });
    expect(config.port).toBe(8787);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: join(dataDir, 'pgdata') });
    expect(config.redisUrl).toBeUndefined();
    expect(config.oidc).toBeUndefined();
  });

  it('generates the embedded secret once, owner-only, and reuses it', () => {
    const dataDir = freshDir();
    const first = loadConfig({ KAIFANG_DATA_DIR: dataDir }).secret;
    const second = loadConfig({ KAIFANG_DATA_DIR: dataDir }).secret;
    expect(first).toHaveLength(64);
    expect(second).toBe(first);
    expect(readFileSync(join(dataDir, 'secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dataDir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('requires the secret when DATABASE_URL is set', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://localhost/kaifang', KAIFANG_DATA_DIR: freshDir() })).toEqual([
      expect.stringMatching(/^KAIFANG_SECRET: is required when DATABASE_URL is set/),
    ]);
    const config = loadConfig({ DATABASE_URL: 'postgres://localhost/kaifang', KAIFANG_SECRET: 's'.repeat(40) });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://localhost/kaifang', poolMax: 10 });
  });

  it('reports one line per problem, each naming its variable', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', REDIS_URL: 'not a url', KAIFANG_SECRET: 'short', KAIFANG_DATA_DIR: freshDir() });
    expect(problems).toHaveLength(4);
    for (const name of ['PORT', 'LOG_LEVEL', 'REDIS_URL', 'KAIFANG_SECRET']) {
      expect(problems.filter((line) => line.startsWith(`${name}: `))).toHaveLength(1);
    }
    expect(problems.join('\n')).not.toContain('short');
  });

  it('needs all three OIDC settings together', () => {
    const problems = problemsOf({ OIDC_ISSUER: 'https://idp.example', KAIFANG_DATA_DIR: freshDir() });
    expect(problems.map((line) => line.split(':')[0]).sort()).toEqual(['OIDC_AUDIENCE', 'OIDC_JWKS_URL']);
  });

  it('never accepts none or HMAC algorithms for OIDC', () => {
    const problems = problemsOf({ OIDC_ALGORITHMS: 'RS256,none,HS256', KAIFANG_DATA_DIR: freshDir() });
    expect(problems.every((line) => line.startsWith('OIDC_ALGORITHMS'))).toBe(true);
  });
});
