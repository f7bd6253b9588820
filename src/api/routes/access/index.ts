import type { AppRouter } from '../../context';
import { registerApply } from './apply';
import { registerGetAgreement } from './get-agreement';
import { registerListApplications } from './list-applications';
import { registerOrganizationVerification } from './organization-verification';

/** The data use agreement: public. */
export function registerAgreementRoute(app: AppRouter) {
  registerGetAgreement(app);
}

/** Applications and organisation verification; guarded by requireApiKey({ scope: 'applications:manage' }) in app.ts. */
export function registerApplicationRoutes(app: AppRouter) {
  registerOrganizationVerification(app);
  registerListApplications(app);
  registerApply(app);
}
