/** What a key may do. A key gets the scopes it is created with and never more than the key that created it. */
export const SCOPES = ['data:read', 'keys:manage', 'usage:read', 'capabilities:invoke', 'applications:manage'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'data:read': 'query and export records of open datasets',
  'keys:manage': "list, create, rotate and revoke the account's keys",
  'usage:read': "read the account's usage",
  'capabilities:invoke': 'invoke service capabilities',
  'applications:manage': 'apply for conditionally open datasets',
};
