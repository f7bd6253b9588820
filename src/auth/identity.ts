import { z } from 'zod';

/** Roles of the admin API. A token carries one or more. */
export const ROLES = ['steward', 'approver', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who called an admin route, as proven by a verified token. */
export interface StewardIdentity {
  /** The token's `sub`: a stable user identifier at the issuer. */
  subject: string;
  roles: Role[];
  /** Publisher (department) slug a steward or approver acts for; admins and auditors may have none. */
  publisher: string | undefined;
}

/** Claims Kaifang reads from a steward token, whichever issuer signed it. */
export const stewardClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  roles: z.array(z.enum(ROLES)).min(1),
  publisher: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
});
