import type { AppRouter } from '../../../context';
import { registerGetAccountUsage } from './get-account-usage';
import { registerListAccounts } from './list-accounts';
import { registerSetAccountPlan } from './set-account-plan';
import { registerSetAccountStatus } from './set-account-status';

/** Developer accounts for admins; app.ts requires the `admin` role on /v1/admin/accounts. */
export function registerAdminAccountRoutes(app: AppRouter) {
  registerListAccounts(app);
  registerSetAccountStatus(app);
  registerSetAccountPlan(app);
  registerGetAccountUsage(app);
}
