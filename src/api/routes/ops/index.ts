import type { AppRouter } from '../../context';
import { registerHealthz } from './healthz';
import { registerMetrics } from './metrics';
import { registerReadyz } from './readyz';

/** Liveness, readiness and metrics: public, unversioned, outside /v1. */
export function registerOpsRoutes(app: AppRouter) {
  registerHealthz(app);
  registerReadyz(app);
  registerMetrics(app);
}
