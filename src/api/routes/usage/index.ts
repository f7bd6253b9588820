import type { AppRouter } from '../../context';
import { registerGetUsage } from './get-usage';

/** A developer's own usage; guarded by requireApiKey({ scope: 'usage:read' }) in app.ts. */
export function registerUsageRoutes(app: AppRouter) {
  registerGetUsage(app);
}
