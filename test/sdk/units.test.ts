// The SDK's pure parts: filter syntax, Retry-After parsing and the backoff schedule.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../sdk/src/errors';
import { filterTerms, rowQueryParams } from '../../sdk/src/query';
import { buildUrl, fillPath, retryDelayMs } from '../../sdk/src/transport';

describe('filters', () => {
  it('turn operator objects into the API syntax', () => {
    expect(filterTerms('eq.蜀山区')).toEqual(['eq.蜀山区']);
    expect(filterTerms(null)).toEqual(['is.null']);
    expect(filterTerms({ gte: 3 })).toEqual(['gte.3']);
    expect(filterTerms({ in: ['a', 'b,c', 'say "hi"', '', 'back\\slash', 7] })).toEqual(['in.(a,"b,c","say \\"hi\\"","","back\\\\slash",7)']);
    expect(filterTerms({ like: '合肥*' })).toEqual(['like.合肥*']);
    expect(filterTerms({ is: true })).toEqual(['is.true']);
    expect(filterTerms({ not: { is: null } })).toEqual(['not.is.null']);
    expect(filterTerms({ not: { in: [1, 2] }, neq: 0 })).toEqual(['neq.0', 'not.in.(1,2)']);
    expect(filterTerms([{ gte: 3 }, 'lt.9'])).toEqual(['gte.3', 'lt.9']);
  });

  it('become query parameters next to select, order and the rest', () => {
    const params = rowQueryParams({ filters: { c2: { eq: '蜀山区' }, c3: undefined }, select: ['c1', 'c2'], order: 'c4.desc', q: '社保', version: 2 }, { limit: 100, cursor: undefined });
    expect([...params]).toEqual([
      ['q', '社保'],
      ['select', 'c1,c2'],
      ['order', 'c4.desc'],
      ['version', '2'],
      ['limit', '100'],
      ['c2', 'eq.蜀山区'],
    ]);
  });
});

describe('urls', () => {
  it('fill and encode path parameters and keep the base path', () => {
    expect(fillPath('/v1/datasets/{id}/records', { id: 'a b/c' })).toBe('/v1/datasets/a%20b%2Fc/records');
    expect(() => fillPath('/v1/datasets/{id}', {})).toThrow(/missing path parameter "id"/);
    expect(buildUrl('https://data.example.gov.cn/api/', '/v1/datasets', { limit: 5, tag: ['a', 'b'], q: undefined })).toBe('https://data.example.gov.cn/api/v1/datasets?limit=5&tag=a&tag=b');
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const nowMs = Date.parse('2026-03-01T08:00:00Z');
    expect(parseRetryAfter('120', nowMs)).toBe(120);
    expect(parseRetryAfter('Sun, 01 Mar 2026 08:00:30 GMT', nowMs)).toBe(30);
    expect(parseRetryAfter('Sun, 01 Mar 2026 07:00:00 GMT', nowMs)).toBe(0);
    expect(parseRetryAfter('soon', nowMs)).toBeUndefined();
    expect(parseRetryAfter(null, nowMs)).toBeUndefined();
  });
});

describe('the backoff schedule', () => {
  const settings = { retryBaseDelayMs: 100, maxRetryDelayMs: 1000, random: () => 1 };

  it('doubles up to the cap, with full jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => retryDelayMs(settings, 'GET', attempt, { status: 502 }))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryDelayMs({ ...settings, random: () => 0.25 }, 'GET', 2, { status: 500 })).toBe(100);
  });

  it('honours Retry-After as a floor, and gives up beyond the cap', () => {
    expect(retryDelayMs({ ...settings, random: () => 0 }, 'POST', 0, { status: 429, retryAfterSeconds: 1 })).toBe(1000);
    expect(retryDelayMs({ ...settings, maxRetryDelayMs: 10_000, random: () => 1 }, 'GET', 0, { status: 429, retryAfterSeconds: 2 })).toBe(2200);
    expect(retryDelayMs(settings, 'GET', 0, { status: 429, retryAfterSeconds: 2 })).toBeNull();
  });

  it('retries only what is safe to repeat', () => {
    expect(retryDelayMs(settings, 'POST', 0, { status: 503 })).not.toBeNull();
    expect(retryDelayMs(settings, 'POST', 0, { status: 500 })).toBeNull();
    expect(retryDelayMs(settings, 'POST', 0, 'connection')).toBeNull();
    expect(retryDelayMs(settings, 'DELETE', 0, 'connection')).not.toBeNull();
    expect(retryDelayMs(settings, 'GET', 0, { status: 404 })).toBeNull();
    expect(retryDelayMs(settings, 'GET', 0, { status: 400 })).toBeNull();
  });
});
