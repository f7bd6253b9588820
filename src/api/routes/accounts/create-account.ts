import { createRoute, z } from '@hono/zod-openapi';
import { createAccount } from '../../../keys/accounts';
import { isCreditCode } from '../../../privacy/detectors/credit-code';
import type { AppRouter } from '../../context';
import { errorResponses } from '../../problem';
import { IssuedApiKeySchema, issuedKeyBody } from '../keys/schemas';
import { AccountSchema, accountBody } from './schemas';

const SignUpSchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ description: 'Name of the developer or contact person.', example: 'Wang Fang' }),
    email: z.email().max(254).openapi({ description: 'Contact email address; one account per address.', example: 'dev@example.com' }),
    organization: z.string().trim().min(1).max(200).optional().openapi({ description: 'Organization the account acts for.', example: 'Hefei Transit Apps Ltd.' }),
    creditCode: z
      .string()
      .trim()
      .transform((value) => value.toUpperCase())
      .refine(isCreditCode, 'must be a valid 18-character unified social credit code (GB 32100), check character included')
      .optional()
      .openapi({ description: "The organization's unified social credit code (GB 32100); its check character is verified.", example: '91340100MA2N0KXX4J' }),
  })
  .refine((body) => !body.creditCode || body.organization, { message: 'organization is required with creditCode', path: ['organization'] })
  .openapi('SignUp');

const SignedUpSchema = z
  .object({
    account: AccountSchema,
    key: IssuedApiKeySchema,
  })
  .openapi('SignedUp', { description: 'The new account and its first key (every scope), shown once.' });

export const createAccountRoute = createRoute({
  operationId: 'createAccount',
  method: 'post',
  path: '/v1/accounts',
  tags: ['Developer access'],
  summary: 'Sign up',
  description:
    'Public. Creates a developer account on the default plan and returns its first API key, holding every scope, shown only in this response. Limited per client IP (SIGNUP_RATE_LIMIT).',
  request: { body: { required: true, content: { 'application/json': { schema: SignUpSchema } } } },
  responses: {
    201: { description: 'The account and its first key.', content: { 'application/json': { schema: SignedUpSchema } } },
    ...errorResponses('validation_failed', 'conflict', 'rate_limited', 'rate_limiter_unavailable'),
  },
});

export function registerCreateAccount(app: AppRouter) {
  app.openapi(createAccountRoute, async (c) => {
    const { db, clock, keys } = c.var.deps;
    const body = c.req.valid('json');
    const { account, key } = await createAccount(db, clock, { ...body, plan: keys.config.defaultPlan });
    return c.json({ account: accountBody(account), key: issuedKeyBody(key, clock.nowMs()) }, 201);
  });
}
