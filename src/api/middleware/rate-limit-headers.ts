import type { Context } from 'hono';
import type { LimitDecision, LimitState } from '../../keys/rate-limiter';
import { setAnswerHeaders } from '../answer-headers';

/**
 * Sets the IETF draft headers (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy`
 * lists each policy with its quota `q` and window `w`; `RateLimit` its remaining `r`
 * and seconds to reset `t`) and the widespread `X-RateLimit-*` trio for the policy
 * closest to refusing. `X-RateLimit-Reset` is an epoch second, as GitHub's is.
 * Returns the Retry-After seconds when the request was refused.
 */
export function setRateLimitHeaders(c: Context, decision: LimitDecision, nowMs: number): number | undefined {
  const secondsLeft = (state: LimitState) => Math.max(1, Math.ceil((state.resetAtMs - nowMs) / 1000));
  const tightest = decision.states.reduce((a, b) => (b.remaining < a.remaining || (b.remaining === a.remaining && b.resetAtMs > a.resetAtMs) ? b : a));
  setAnswerHeaders(c, {
    'RateLimit-Policy': decision.states.map((s) => `"${s.policy}";q=${s.limit};w=${s.windowSeconds}`).join(', '),
    RateLimit: decision.states.map((s) => `"${s.policy}";r=${s.remaining};t=${secondsLeft(s)}`).join(', '),
    'X-RateLimit-Limit': String(tightest.limit),
    'X-RateLimit-Remaining': String(tightest.remaining),
    'X-RateLimit-Reset': String(Math.ceil(tightest.resetAtMs / 1000)),
  });
  if (decision.allowed) return undefined;
  // Refused: wait until every exhausted window has reset.
  return Math.max(...decision.states.filter((s) => s.remaining === 0).map(secondsLeft));
}

export function refusalDetail(decision: LimitDecision): string {
  const exhausted = decision.states.filter((s) => s.remaining === 0);
  return `Rate limit reached: ${exhausted.map((s) => `${s.limit} requests per ${s.windowSeconds} s (policy "${s.policy}")`).join(' and ')}. Retry after the number of seconds in Retry-After.`;
}
