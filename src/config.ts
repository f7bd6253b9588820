// Every setting Kaifang reads, in one place, validated once at start. Nothing else
// reads process.env, so the configuration reference in docs/operations.md can be
// generated from this schema and is always complete.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const MIN_SECRET_CHARS = 32;

const optionalUrl = (description: string) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.url().optional())
    .optional()
    .describe(description);

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787).describe('TCP port the HTTP server listens on.'),
    HOST: z.string().min(1).default('127.0.0.1').describe('Interface the HTTP server binds to (`0.0.0.0` for every interface).'),
    PUBLIC_URL: optionalUrl('Base URL clients use to reach the API (for links and the OpenAPI `servers` entry). Defaults to http://HOST:PORT.'),
    DATABASE_URL: optionalUrl('Postgres connection URL. Unset: the embedded PGlite database under KAIFANG_DATA_DIR.'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10).describe('Maximum connections in the Postgres pool (ignored for the embedded database).'),
    KAIFANG_DATA_DIR: z.string().min(1).default('./.kaifang').describe('Directory for the embedded database, the generated platform secret and the token signing keys.'),
    KAIFANG_SECRET: z
      .string()
      .min(MIN_SECRET_CHARS, `must be at least ${MIN_SECRET_CHARS} characters`)
      .optional()
      .describe('Platform secret for keyed hashing (pseudonyms, HMACs). Required with DATABASE_URL; generated once into the data directory in embedded mode.'),
    REDIS_URL: optionalUrl('Redis URL for shared rate-limit counters and revocation broadcasts. Unset: per-instance memory.'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576).describe('Largest accepted JSON request body, in bytes; larger bodies get a 413 problem.'),
    MAX_IMPORT_BYTES: z.coerce.number().int().min(1024).default(536_870_912).describe('Largest accepted CSV import, in bytes.'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000).describe('How long a graceful shutdown waits for in-flight requests before closing connections.'),
    OIDC_ISSUER: z.string().trim().min(1).optional().describe('External identity provider issuer for steward tokens. Set with OIDC_AUDIENCE and OIDC_JWKS_URL.'),
    OIDC_AUDIENCE: z.string().trim().min(1).optional().describe('Audience steward tokens must carry when OIDC_ISSUER is set.'),
    OIDC_JWKS_URL: optionalUrl('JWKS endpoint of the external identity provider.'),
    OIDC_ALGORITHMS: z
      .string()
      .default('RS256,ES256')
      .transform((value) => value.split(',').map((alg) => alg.trim()).filter(Boolean))
      .pipe(z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])).min(1))
      .describe('Comma-separated JWS algorithms accepted from the external identity provider. `none` and HMAC algorithms are never accepted.'),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600).describe('Lifetime of tokens issued by `kaifang token` in embedded-issuer mode.'),
    SEED_DEMO_DATA: z
      .enum(['auto', 'true', 'false'])
      .default('auto')
      .describe('Seed synthetic demo datasets on start: `auto` seeds an empty embedded database only.'),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_AUDIENCE, env.OIDC_JWKS_URL];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      for (const key of ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when any OIDC_* setting is given' });
      }
    }
    if (env.DATABASE_URL && !env.KAIFANG_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['KAIFANG_SECRET'], message: 'is required when DATABASE_URL is set (generate one with `openssl rand -base64 48`)' });
    }
  });

export type ConfigInput = z.input<typeof configSchema>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  database: { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string; poolMax: number };
  dataDir: string;
  /** Platform secret; never logged. */
  secret: string;
  redisUrl: string | undefined;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  maxBodyBytes: number;
  maxImportBytes: number;
  shutdownGraceMs: number;
  oidc: { issuer: string; audience: string; jwksUrl: string; algorithms: string[] } | undefined;
  tokenTtlSeconds: number;
  seedDemoData: 'auto' | 'true' | 'false';
}

/** Thrown when settings are invalid; `problems` holds one line per problem, each naming the variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment. In embedded mode a missing platform secret
 * is generated once and kept in the data directory (mode 0600), so restarts keep
 * the same pseudonyms.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, env[key]]));
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const settings = parsed.data;
  const dataDir = resolve(settings.KAIFANG_DATA_DIR);
  const secret = settings.KAIFANG_SECRET ?? embeddedSecret(dataDir);
  return {
    port: settings.PORT,
    host: settings.HOST,
    publicUrl: settings.PUBLIC_URL,
    database: settings.DATABASE_URL
      ? { kind: 'postgres', url: settings.DATABASE_URL, poolMax: settings.DATABASE_POOL_MAX }
      : { kind: 'embedded', dataDir: join(dataDir, 'pgdata') },
    dataDir,
    secret,
    redisUrl: settings.REDIS_URL,
    logLevel: settings.LOG_LEVEL,
    maxBodyBytes: settings.MAX_BODY_BYTES,
    maxImportBytes: settings.MAX_IMPORT_BYTES,
    shutdownGraceMs: settings.SHUTDOWN_GRACE_MS,
    oidc:
      settings.OIDC_ISSUER && settings.OIDC_AUDIENCE && settings.OIDC_JWKS_URL
        ? { issuer: settings.OIDC_ISSUER, audience: settings.OIDC_AUDIENCE, jwksUrl: settings.OIDC_JWKS_URL, algorithms: settings.OIDC_ALGORITHMS }
        : undefined,
    tokenTtlSeconds: settings.TOKEN_TTL_SECONDS,
    seedDemoData: settings.SEED_DEMO_DATA,
  };
}

function embeddedSecret(dataDir: string): string {
  const path = join(dataDir, 'secret');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length < MIN_SECRET_CHARS) throw new ConfigError([`KAIFANG_SECRET: the stored secret in ${path} is too short; remove the file to generate a new one`]);
    return stored;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return secret;
}
