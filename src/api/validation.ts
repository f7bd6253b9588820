import type { Hook } from '@hono/zod-openapi';
import { KaifangError } from '../errors';
import type { AppEnv } from './context';

/**
 * The OpenAPIHono defaultHook: a zod failure becomes a 400 problem naming each
 * offending parameter as `<where>.<name>` (for example `query.limit`, `json.email`).
 */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const where = result.target === 'json' ? 'body' : result.target;
  const errors = result.error.issues.map((issue) => ({
    location: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const names = [...new Set(errors.map((error) => error.location))].join(', ');
  throw new KaifangError('validation_failed', `Invalid ${names}.`, { errors });
};
