// RFC 9457 problem details, built from the one error table in src/errors.ts: the
// runtime responses and the OpenAPI error schemas both come from here.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERRORS, KaifangError, type ErrorCode, type FieldIssue } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const errorCodes = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: 'URI naming the problem type; `urn:kaifang:problem:<code>`.', example: 'urn:kaifang:problem:validation_failed' }),
    title: z.string().openapi({ description: 'Short summary of the problem type; the same for every occurrence of a code.', example: 'Request validation failed' }),
    status: z.number().int().openapi({ description: 'HTTP status code of this response.', example: 400 }),
    detail: z.string().openapi({ description: 'What went wrong in this occurrence, in plain words. Never contains secrets or personal data.', example: 'Query parameter "limit" must be at most 1000.' }),
    instance: z.string().openapi({ description: 'Path of the request that failed.', example: '/v1/datasets' }),
    code: z.enum(errorCodes).openapi({ description: 'Stable machine-readable error code; see docs/errors.md for each code and its fix.', example: 'validation_failed' }),
    requestId: z.string().openapi({ description: 'The X-Request-Id of the failed request; quote it when reporting a problem.', example: '7f1c0a9e-8d4b-4c1e-9a57-3c2f0d9b1e21' }),
    errors: z
      .array(
        z.object({
          location: z.string().openapi({ description: 'Where the problem is: a parameter name, a body path, or a line and column of an import.', example: 'query.limit' }),
          message: z.string().openapi({ description: 'What is wrong there.', example: 'Too big: expected number to be <=1000' }),
        }),
      )
      .optional()
      .openapi({ description: 'One entry per offending input, when the problem concerns inputs.' }),
  })
  .catchall(z.unknown())
  .openapi('Problem', { description: 'An RFC 9457 problem details object.' });

export type Problem = z.infer<typeof ProblemSchema>;

export function problemBody(
  code: ErrorCode,
  detail: string,
  context: { instance: string; requestId: string; errors?: FieldIssue[]; extras?: Record<string, unknown> },
): Problem {
  const spec = ERRORS[code];
  return {
    ...context.extras,
    type: `urn:kaifang:problem:${code}`,
    title: spec.title,
    status: spec.status,
    detail,
    instance: context.instance,
    code,
    requestId: context.requestId,
    ...(context.errors?.length ? { errors: context.errors } : {}),
  };
}

export function problemResponse(c: Context, error: KaifangError, headers: Record<string, string> = {}): Response {
  const body = problemBody(error.code, error.message, {
    instance: c.req.path,
    requestId: (c.get('requestId' as never) as string | undefined) ?? '',
    errors: error.errors,
    extras: error.extras,
  });
  // c.body (not a bare Response) keeps headers earlier middleware prepared, such as X-Request-Id.
  return c.body(JSON.stringify(body), error.status as ContentfulStatusCode, { 'Content-Type': PROBLEM_CONTENT_TYPE, ...headers });
}

/**
 * OpenAPI `responses` entries for the codes an operation can answer with, grouped by
 * status, so every operation documents its errors from the same table.
 */
export function errorResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set<ErrorCode>([...codes, 'internal_error'])) {
    const status = ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      status,
      {
        description: group.map((code) => `\`${code}\`: ${ERRORS[code].title}.`).join(' '),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}
