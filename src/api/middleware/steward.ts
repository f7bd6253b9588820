import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../auth/identity';
import { KaifangError } from '../../errors';
import type { AppEnv } from '../context';

/** Admin routes: a verified steward token is required; the identity goes to `c.var.steward`. */
export function requireStewardToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (!header) throw new KaifangError('unauthorized', 'This admin route needs `Authorization: Bearer <token>` with a steward token.');
    const match = /^Bearer\s+([A-Za-z0-9_\-.]+)$/.exec(header.trim());
    if (!match?.[1]) throw new KaifangError('invalid_token', 'The Authorization header must be `Bearer <token>`.');
    c.set('steward', await c.var.deps.verifyToken(match[1]));
    await next();
  };
}

/** Lets the request through only if the token carries at least one of `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const steward = c.var.steward;
    if (!steward) throw new KaifangError('unauthorized', 'This route needs a steward token.');
    if (!steward.roles.some((role) => roles.includes(role))) {
      throw new KaifangError('forbidden', `This operation needs one of the roles: ${roles.join(', ')}.`);
    }
    await next();
  };
}
