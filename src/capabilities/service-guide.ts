// Service guide lookup: a service item code (事项编码) in, the public guide out: what to
// bring, how long it takes, what it costs, whether it can be done online and how many
// visits are needed. Public information, so the limit only guards the service.
import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { KaifangError } from '../errors';
import { defineCapability } from './registry';
import { serviceGuides } from './tables';

export const SERVICE_CODE = /^\d{6}-\d{6}-\d{3}$/;

const Input = z
  .object({
    code: z.string().trim().regex(SERVICE_CODE, 'a service item code looks like 340100-001000-001').openapi({ description: 'Service item code (事项编码): region, item and sub-item, for example `340100-001000-001`.', example: '340100-001000-001' }),
  })
  .strict()
  .openapi('ServiceGuideInput');

const Output = z
  .object({
    code: z.string().openapi({ description: 'Service item code.', example: '340100-001000-001' }),
    name: z.string().openapi({ description: 'Name of the service.', example: '社保卡补办（蜀山区）' }),
    department: z.string().openapi({ description: 'Department that carries it out.', example: '市人力资源和社会保障局' }),
    materials: z.array(z.string()).openapi({ description: 'Materials to bring or upload, in order.', example: ['居民身份证原件', '近期免冠一寸照片'] }),
    timeLimitDays: z.number().int().openapi({ description: 'Statutory time limit, in working days.', example: 5 }),
    fee: z.string().openapi({ description: 'Fee as published (`不收费` when free).', example: '不收费' }),
    onlineAvailable: z.boolean().openapi({ description: 'Whether it can be applied for online.', example: true }),
    visitsNeeded: z.number().int().openapi({ description: 'On-site visits needed (0: fully online).', example: 1 }),
    updatedAt: z.string().openapi({ description: 'When the guide was last updated (ISO 8601).', example: '2026-03-01T00:00:00.000Z' }),
  })
  .strict()
  .openapi('ServiceGuide');

export const serviceGuide = defineCapability({
  id: 'service-guide',
  name: 'ServiceGuide',
  title: 'Service guide lookup',
  description: 'Looks up the public guide (办事指南) of a government service item by its code: required materials, time limit, fee, online availability and visits needed. An unknown code is a 404 `not_found`.',
  input: Input,
  output: Output,
  scope: 'capabilities:invoke',
  rateLimit: { limit: 600, windowSeconds: 60 },
  requiresGrant: null,
  async invoke(ctx, input) {
    const [guide] = await ctx.tx.select().from(serviceGuides).where(eq(serviceGuides.code, input.code));
    if (!guide) throw new KaifangError('not_found', `No service item has the code ${input.code}.`);
    return { ...guide, updatedAt: guide.updatedAt.toISOString() };
  },
  auditDetails: (input) => ({ code: input.code }),
});
