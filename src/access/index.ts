export { currentAgreement, loadAgreement, type DataUseAgreement } from './agreement';
export { applyForAccess, approveApplication, listApplicationsFor, listOwnApplications, rejectApplication, revokeGrant, MAX_GRANT_DAYS, type ApplicationView } from './applications';
export { activeAccess, grantStatus, recordConditionalRead, type ActiveAccess, type Grant, type GrantStatus } from './grants';
export { decideVerification, isVerifiedOrganization, latestVerification, listVerifications, requestVerification, type Verification } from './verifications';
