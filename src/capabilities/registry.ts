// Service capabilities: answers computed from government data without handing the data
// out ("is this licence valid?"). Each capability declares everything the HTTP layer and
// the documentation need: id, schemas, scope, its own rate limit, whether it needs a
// grant, and what of a call may be audited. The API registers one route per capability
// from this list, so each appears in the OpenAPI document with its own schemas.
import type { z } from '@hono/zod-openapi';
import type { Clock } from '../clock';
import type { Orm } from '../db/client';
import type { Scope } from '../keys/scopes';

export interface CapabilityContext {
  /** The transaction the call runs in; its audit entry is appended in the same one. */
  tx: Orm;
  clock: Clock;
  /** Platform secret, for keyed lookups. */
  secret: string;
  accountId: string;
}

export interface Capability<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  /** URL segment: POST /v1/capabilities/{id}. */
  id: string;
  /** Used for operation ids and schema names, for example `LicenceVerification`. */
  name: string;
  title: string;
  description: string;
  input: Input;
  output: Output;
  scope: Scope;
  /** Per developer account (keys are free to create, so a per-key limit alone could be multiplied). */
  rateLimit: { limit: number; windowSeconds: number };
  /** Slug of a conditional dataset the account must hold an active grant on, or null. */
  requiresGrant: string | null;
  invoke(ctx: CapabilityContext, input: z.infer<Input>): Promise<z.infer<Output>>;
  /** What of a call goes to the audit log: never the input's personal values. */
  auditDetails(input: z.infer<Input>, output: z.infer<Output>): Record<string, unknown>;
}

/** Keeps each capability's input and output types tied together. */
export function defineCapability<Input extends z.ZodType, Output extends z.ZodType>(capability: Capability<Input, Output>): Capability<Input, Output> {
  return capability;
}
