// The four review transitions share their shape (a version in, the version out), so
// one factory declares them; each keeps its own operation id, description and rules.
import { createRoute } from '@hono/zod-openapi';
import type { StewardIdentity } from '../../../../auth/identity';
import type { AppDeps } from '../../../context';
import { findDataset } from '../../../../datasets/find-dataset';
import { approveVersion } from '../../../../datasets/review/approve-version';
import { rejectVersion } from '../../../../datasets/review/reject-version';
import { submitVersion } from '../../../../datasets/review/submit-version';
import { withdrawVersion } from '../../../../datasets/review/withdraw-version';
import type { ErrorCode } from '../../../../errors';
import type { AppRouter } from '../../../context';
import { errorResponses } from '../../../problem';
import { ReasonBody, VersionParams, VersionSchema } from './schemas';
import { serializeVersion } from './serialize';

type Transition = (deps: AppDeps, steward: StewardIdentity, datasetId: string, number: number, reason: string) => ReturnType<typeof submitVersion>;

interface ReviewAction {
  action: 'submit' | 'approve' | 'reject' | 'withdraw';
  operationId: string;
  summary: string;
  description: string;
  needsReason: boolean;
  errors: ErrorCode[];
  run: Transition;
}

const COMMON_ERRORS: ErrorCode[] = ['validation_failed', 'unauthorized', 'invalid_token', 'forbidden', 'not_found', 'conflict'];

export const REVIEW_ACTIONS: ReviewAction[] = [
  {
    action: 'submit',
    operationId: 'submitAdminDatasetVersion',
    summary: 'Submit a draft for review',
    description: 'Stewards of the publisher. Runs the publication gate on the stored rows; a draft that fails stays a draft and the answer lists every finding.',
    needsReason: false,
    errors: [...COMMON_ERRORS, 'unprocessable'],
    run: (deps, steward, id, number) => submitVersion(deps, steward, id, number),
  },
  {
    action: 'approve',
    operationId: 'approveAdminDatasetVersion',
    summary: 'Approve and publish a submitted version',
    description:
      'Approvers of the publisher who did not submit the version. Runs the gate again; if it passes, the version is published and becomes current in one transaction.',
    needsReason: false,
    errors: [...COMMON_ERRORS, 'unprocessable'],
    run: (deps, steward, id, number) => approveVersion(deps, steward, id, number),
  },
  {
    action: 'reject',
    operationId: 'rejectAdminDatasetVersion',
    summary: 'Reject a submitted version',
    description: 'Approvers of the publisher who did not submit the version. A reason is required; the stored rows are discarded.',
    needsReason: true,
    errors: COMMON_ERRORS,
    run: (deps, steward, id, number, reason) => rejectVersion(deps, steward, id, number, reason),
  },
  {
    action: 'withdraw',
    operationId: 'withdrawAdminDatasetVersion',
    summary: 'Withdraw a published version',
    description:
      'Stewards and approvers of the publisher. Takes the version offline at once; the dataset falls back to its latest other published version, or to none. A reason is required.',
    needsReason: true,
    errors: COMMON_ERRORS,
    run: (deps, steward, id, number, reason) => withdrawVersion(deps, steward, id, number, reason),
  },
];

export function registerReviewActions(app: AppRouter) {
  for (const review of REVIEW_ACTIONS) {
    const route = createRoute({
      operationId: review.operationId,
      method: 'post',
      path: `/v1/admin/datasets/{id}/versions/{number}/${review.action}`,
      tags: ['Admin'],
      summary: review.summary,
      description: review.description,
      security: [{ stewardToken: [] }],
      request: {
        params: VersionParams,
        ...(review.needsReason ? { body: { required: true, content: { 'application/json': { schema: ReasonBody } } } } : {}),
      },
      responses: {
        200: { description: 'The version after the transition.', content: { 'application/json': { schema: VersionSchema } } },
        ...errorResponses(...review.errors),
      },
    });
    app.openapi(route, async (c) => {
      const { id, number } = c.req.valid('param');
      const reason = review.needsReason ? ((c.req.valid('json' as never) as { reason: string } | undefined)?.reason ?? '') : '';
      const { dataset } = await findDataset(c.var.deps.db, id);
      const version = await review.run(c.var.deps, c.var.steward, dataset.id, number, reason);
      return c.json(serializeVersion(version), 200);
    });
  }
}
