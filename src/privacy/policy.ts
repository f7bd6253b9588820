// The classification policy: for every type and open tier, the default action and the
// actions a steward may choose; for every role, the actions the law leaves open. A few
// rules are not the policy author's to relax (secrets are only ever dropped, identifiers
// are never kept or merely masked), so the loader enforces them on every document.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type FieldIssue, KaifangError } from '../errors';
import type { GeneralizeOptions } from './transforms/generalize';
import {
  ACTIONS,
  type Action,
  OPEN_TIERS,
  type OpenTier,
  PRIVACY_TYPES,
  type PrivacyType,
  ROLES,
  type Role,
} from './types';

export const DEFAULT_K = 5;
export const DEFAULT_MIN_CELL_SIZE = 5;

/** Types that identify a person wherever they appear: never kept or masked in any open tier. */
export const PERSONAL_IDENTIFIER_TYPES: readonly PrivacyType[] = [
  'resident_id',
  'bank_card',
  'mobile',
  'passport',
  'hk_macau_permit',
];
// Most protective first: when the default is not allowed for a role, the first allowed wins.
const PROTECTIVE_ORDER: readonly Action[] = ['drop', 'suppress', 'pseudonymize', 'generalize', 'mask', 'keep'];

const actionSchema = z.enum(ACTIONS);
const actionListSchema = z
  .array(actionSchema)
  .min(1)
  .refine((actions) => new Set(actions).size === actions.length, 'lists an action twice')
  // Dropping is always lawful; requiring it everywhere means a type and a role can never
  // leave a column with no allowed action at all.
  .refine((actions) => actions.includes('drop'), 'must allow drop');

const generalizeSchema = z.strictObject({
  date: z.enum(['month', 'year']).optional(),
  ageBandYears: z.number().int().min(1).max(50).optional(),
  coordinateDecimals: z.number().int().min(0).max(6).optional(),
});

const tierRuleSchema = z
  .strictObject({
    default: actionSchema,
    allowed: actionListSchema,
    generalize: generalizeSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    if (!rule.allowed.includes(rule.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `${rule.default} is not in allowed` });
    }
  });

const typeRuleSchema = z.strictObject({
  role: z.enum(ROLES),
  unconditional: tierRuleSchema,
  conditional: tierRuleSchema,
});

const roleRuleSchema = z.strictObject({
  unconditional: actionListSchema,
  conditional: actionListSchema,
});

const policySchema = z
  .strictObject({
    version: z.literal(1),
    description: z.string().optional(),
    k: z.number().int().min(2).default(DEFAULT_K),
    minCellSize: z.number().int().min(1).default(DEFAULT_MIN_CELL_SIZE),
    types: z.record(z.enum(PRIVACY_TYPES), typeRuleSchema),
    roles: z.record(z.enum(ROLES), roleRuleSchema),
  })
  .superRefine((policy, ctx) => {
    for (const secret of ['commercial_secret', 'state_secret'] as const) {
      for (const tier of OPEN_TIERS) {
        const allowed = policy.roles[secret][tier];
        if (allowed.length !== 1 || allowed[0] !== 'drop') {
          ctx.addIssue({ code: 'custom', path: ['roles', secret, tier], message: 'secrets may only be dropped' });
        }
      }
    }
    for (const tier of OPEN_TIERS) {
      const direct = policy.roles.direct_identifier[tier];
      for (const action of direct) {
        if (action === 'keep' || action === 'mask' || (tier === 'unconditional' && action === 'pseudonymize')) {
          ctx.addIssue({
            code: 'custom',
            path: ['roles', 'direct_identifier', tier],
            message: `a direct identifier may not be ${action === 'keep' ? 'kept' : `${action}d`} in ${tier} data`,
          });
        }
      }
      for (const type of PERSONAL_IDENTIFIER_TYPES) {
        const allowed = policy.types[type][tier].allowed;
        for (const action of allowed) {
          if (action === 'keep' || action === 'mask') {
            ctx.addIssue({
              code: 'custom',
              path: ['types', type, tier, 'allowed'],
              message: `${type} may not be ${action === 'keep' ? 'kept' : 'masked'} in open data`,
            });
          }
        }
      }
    }
  });

export type TierRule = {
  default: Action;
  allowed: Action[];
  generalize?: GeneralizeOptions;
};
export interface Policy {
  version: 1;
  description?: string;
  /** Minimum equivalence-class size over declared quasi-identifiers for person-level data. */
  k: number;
  /** Aggregates suppress any cell counting fewer rows than this. */
  minCellSize: number;
  types: Record<PrivacyType, { role: Role; unconditional: TierRule; conditional: TierRule }>;
  roles: Record<Role, Record<OpenTier, Action[]>>;
}

function issuePath(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') path.push(issue.keys.join(','));
  return path.length === 0 ? '(root)' : path.join('.');
}

/** Parses and validates a policy document; every problem is reported with its key path. */
export function loadPolicy(yamlText: string, source = 'policy'): Policy {
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    throw new KaifangError('validation_failed', `${source}: not valid YAML: ${message}`, { cause: error });
  }
  const result = policySchema.safeParse(document);
  if (!result.success) {
    const errors: FieldIssue[] = result.error.issues.map((issue) => ({
      location: issuePath(issue),
      message: issue.message,
    }));
    const first = errors[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new KaifangError('validation_failed', `${source}: ${first.location}: ${first.message}${more}`, { errors });
  }
  return result.data as Policy;
}

export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new KaifangError('internal_error', `policy file ${path} cannot be read`, { cause: error });
  }
  return loadPolicy(text, path);
}

export interface ActionRequest {
  type: PrivacyType;
  /** Declared by the steward; defaults to the policy's role for the type. */
  role?: Role;
  tier: OpenTier;
  /** The action the steward asks for; omitted means the policy's default. */
  requested?: Action;
}

export interface ResolvedAction {
  action: Action;
  role: Role;
  /** What the steward could choose instead for this type, role and tier. */
  allowed: Action[];
  generalize: GeneralizeOptions | undefined;
}

/** The action for a column, with the alternatives; throws `unprocessable` when the request breaks the policy. */
export function resolveColumnAction(policy: Policy, request: ActionRequest): ResolvedAction {
  const { type, tier, requested } = request;
  const typeRule = policy.types[type];
  if (typeRule === undefined || !OPEN_TIERS.includes(tier)) {
    throw new KaifangError('unprocessable', `no policy rule for type ${String(type)} in tier ${String(tier)}`);
  }
  const role = request.role ?? typeRule.role;
  const roleAllowed = policy.roles[role]?.[tier];
  if (roleAllowed === undefined) throw new KaifangError('unprocessable', `unknown role ${String(role)}`);
  const tierRule = typeRule[tier];
  const allowed = tierRule.allowed.filter((action) => roleAllowed.includes(action));
  const resolved = (action: Action): ResolvedAction => ({ action, role, allowed, generalize: tierRule.generalize });

  if (requested !== undefined) {
    const refuse = (why: string): never => {
      const detail = `a steward cannot ${requested} ${type} in ${tier === 'unconditional' ? 'an' : 'a'} ${tier} dataset: ${why}`;
      throw new KaifangError('unprocessable', detail, { errors: [{ location: 'action', message: detail }] });
    };
    if (!ACTIONS.includes(requested)) refuse('unknown action');
    if (!tierRule.allowed.includes(requested)) {
      refuse(`the policy allows only ${tierRule.allowed.join(', ')} for ${type} there`);
    }
    if (!roleAllowed.includes(requested)) refuse(`a column with role ${role} allows only ${roleAllowed.join(', ')} there`);
    return resolved(requested);
  }
  if (allowed.includes(tierRule.default)) return resolved(tierRule.default);
  return resolved(PROTECTIVE_ORDER.find((action) => allowed.includes(action)) ?? 'drop');
}

/** The action for a column under the policy; throws `unprocessable` explaining a refused request. */
export function resolveAction(policy: Policy, request: ActionRequest): Action {
  return resolveColumnAction(policy, request).action;
}
