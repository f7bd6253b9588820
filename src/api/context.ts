import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from '../config';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Policy } from '../privacy/index';
import type { StewardIdentity } from '../auth/identity';
import type { TokenVerifier } from '../auth/verify-token';
import type { KeysRuntime } from '../keys/runtime';
import type { VerifiedKey } from '../keys/verifier';
import type { UsageNote } from './middleware/api-key';

/** Everything a handler may use, built once and passed in (never imported as a singleton). */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  verifyToken: TokenVerifier;
  /** The classification policy, validated at start. */
  policy: Policy;
  /** Developer access: key verification, rate limits, usage metering (src/keys). */
  keys: KeysRuntime;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    /** Set by the steward middleware on /v1/admin routes. */
    steward: StewardIdentity;
    /** Set on requests that carry a valid API key (see requireApiKey). */
    apiKey: VerifiedKey;
    /** Rows, bytes and dataset of the current keyed request; add with recordUsage(). */
    usage: UsageNote;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
