// Every setting Kaifang reads, in one place, validated once at start. Nothing else
// reads process.env, so the configuration reference in docs/operations.md can be
// generated from this schema and is always complete.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { packagePath } from './package-root';

const MIN_SECRET_CHARS = 32;
const DEFAULT_KEY_PLANS = {
  free: { limit: 1000, dailyQuota: 10_000 },
  standard: { limit: 10_000, dailyQuota: 200_000 },
  enterprise: { limit: 100_000, dailyQuota: 2_000_000 },
};
const DEFAULT_POLICY_FILE = packagePath('policies', 'default.yaml');

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
    // Developer access (src/keys): plans, key verification cache, rate limits, usage metering.
    KEY_PLANS: z
      .string()
      .default(JSON.stringify(DEFAULT_KEY_PLANS))
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/), z.object({ limit: z.number().int().min(1), dailyQuota: z.number().int().min(1) }).strict()))
      .describe('Plans as JSON: `{"<plan>": {"limit": <requests per KEY_RATE_WINDOW_SECONDS>, "dailyQuota": <requests per UTC day>}}`. Must contain KEY_DEFAULT_PLAN.'),
    KEY_DEFAULT_PLAN: z.string().default('free').describe('Plan given to new developer accounts.'),
    KEY_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600).describe('Length of the per-key rate-limit window (fixed windows aligned to the epoch), in seconds.'),
    KEY_CACHE_FRESH_MS: z.coerce.number().int().min(0).max(300_000).default(30_000).describe('How long a verified key is trusted from the in-process cache before it is read again; revocations are broadcast and do not wait for this.'),
    KEY_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000).describe('Most keys (verified or unknown) the in-process verification cache holds; the least recently used are dropped.'),
    KEY_ROTATION_GRACE_SECONDS: z.coerce.number().int().min(0).max(2_592_000).default(86_400).describe('Default grace period during which a rotated key keeps working, in seconds (callers may choose another).'),
    IP_RATE_LIMIT: z.coerce.number().int().min(1).default(300).describe('Requests per IP_RATE_WINDOW_SECONDS one client IP may make to public /v1 routes without an API key.'),
    IP_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60).describe('Window of IP_RATE_LIMIT, in seconds.'),
    SIGNUP_RATE_LIMIT: z.coerce.number().int().min(1).default(5).describe('Sign-ups (POST /v1/accounts) one client IP may make per SIGNUP_RATE_WINDOW_SECONDS.'),
    SIGNUP_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600).describe('Window of SIGNUP_RATE_LIMIT, in seconds.'),
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0).describe('Reverse proxies in front of Kaifang that append to X-Forwarded-For. 0: the client IP is the socket peer; n: the n-th address from the right of X-Forwarded-For.'),
    RATE_LIMIT_REDIS_FAILURE: z
      .enum(['local', 'closed'])
      .default('local')
      .describe('When REDIS_URL is set but Redis cannot be reached: `local` keeps serving with per-instance memory counters (limits then hold per instance, not overall); `closed` refuses limited requests with a 503 `rate_limiter_unavailable` problem.'),
    REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(250).describe('How long a rate-limit call waits for Redis before RATE_LIMIT_REDIS_FAILURE applies.'),
    REDIS_KEY_PREFIX: z.string().min(1).max(64).default('kaifang:').describe('Prefix of every Redis key and channel Kaifang uses, so several deployments can share one Redis.'),
    USAGE_FLUSH_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(10_000).describe('How often metered usage is written to the database in one batch, in milliseconds (also flushed on graceful shutdown).'),
    USAGE_FLUSH_MAX_ENTRIES: z.coerce.number().int().min(1).default(5000).describe('Distinct usage buckets (key, hour, route, dataset) held in memory before an early flush.'),
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
    KAIFANG_POLICY_FILE: z
      .string()
      .min(1)
      .optional()
      .describe('Classification policy (YAML) validated at start; a broken policy stops the process. Unset: policies/default.yaml of the installation.'),
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
    if (!Object.hasOwn(env.KEY_PLANS, env.KEY_DEFAULT_PLAN)) {
      ctx.addIssue({ code: 'custom', path: ['KEY_DEFAULT_PLAN'], message: `must be one of the plans in KEY_PLANS (${Object.keys(env.KEY_PLANS).join(', ')})` });
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
  /** Developer access: plans, verification cache, rate limits and usage metering (src/keys). */
  keys: KeysConfig;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  maxBodyBytes: number;
  maxImportBytes: number;
  shutdownGraceMs: number;
  oidc: { issuer: string; audience: string; jwksUrl: string; algorithms: string[] } | undefined;
  tokenTtlSeconds: number;
  policyFile: string;
  seedDemoData: 'auto' | 'true' | 'false';
}

export interface PlanLimits {
  /** Requests per rate window. */
  limit: number;
  /** Requests per UTC day. */
  dailyQuota: number;
}

export interface KeysConfig {
  plans: Record<string, PlanLimits>;
  defaultPlan: string;
  rateWindowSeconds: number;
  cacheFreshMs: number;
  cacheMaxEntries: number;
  rotationGraceSeconds: number;
  ipLimit: { limit: number; windowSeconds: number };
  signupLimit: { limit: number; windowSeconds: number };
  trustedProxyHops: number;
  redisFailure: 'local' | 'closed';
  redisTimeoutMs: number;
  redisKeyPrefix: string;
  usageFlushIntervalMs: number;
  usageFlushMaxEntries: number;
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
    keys: {
      plans: settings.KEY_PLANS,
      defaultPlan: settings.KEY_DEFAULT_PLAN,
      rateWindowSeconds: settings.KEY_RATE_WINDOW_SECONDS,
      cacheFreshMs: settings.KEY_CACHE_FRESH_MS,
      cacheMaxEntries: settings.KEY_CACHE_MAX_ENTRIES,
      rotationGraceSeconds: settings.KEY_ROTATION_GRACE_SECONDS,
      ipLimit: { limit: settings.IP_RATE_LIMIT, windowSeconds: settings.IP_RATE_WINDOW_SECONDS },
      signupLimit: { limit: settings.SIGNUP_RATE_LIMIT, windowSeconds: settings.SIGNUP_RATE_WINDOW_SECONDS },
      trustedProxyHops: settings.TRUSTED_PROXY_HOPS,
      redisFailure: settings.RATE_LIMIT_REDIS_FAILURE,
      redisTimeoutMs: settings.REDIS_TIMEOUT_MS,
      redisKeyPrefix: settings.REDIS_KEY_PREFIX,
      usageFlushIntervalMs: settings.USAGE_FLUSH_INTERVAL_MS,
      usageFlushMaxEntries: settings.USAGE_FLUSH_MAX_ENTRIES,
    },
    logLevel: settings.LOG_LEVEL,
    maxBodyBytes: settings.MAX_BODY_BYTES,
    maxImportBytes: settings.MAX_IMPORT_BYTES,
    shutdownGraceMs: settings.SHUTDOWN_GRACE_MS,
    oidc:
      settings.OIDC_ISSUER && settings.OIDC_AUDIENCE && settings.OIDC_JWKS_URL
        ? { issuer: settings.OIDC_ISSUER, audience: settings.OIDC_AUDIENCE, jwksUrl: settings.OIDC_JWKS_URL, algorithms: settings.OIDC_ALGORITHMS }
        : undefined,
    tokenTtlSeconds: settings.TOKEN_TTL_SECONDS,
    policyFile: settings.KAIFANG_POLICY_FILE ? resolve(settings.KAIFANG_POLICY_FILE) : DEFAULT_POLICY_FILE,
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
