import type { AppRouter } from '../../context';
import { registerCreateAccount } from './create-account';

/** Sign-up: public, limited per client IP in app.ts. */
export function registerAccountRoutes(app: AppRouter) {
  registerCreateAccount(app);
}
