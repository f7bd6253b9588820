// Keyset paging visits every row exactly once and in order, for any sort order (mixed
// directions, NULLs first or last, duplicates) and any sequence of page sizes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTerm } from '../../src/datasets/query';
import { compareValues, createFixture, fetchPage, fieldType, ids, SORTABLE, type Fixture, type Row } from './fixture';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture(300);
});
afterAll(async () => fixture?.test.dispose());

interface Spec {
  terms: { field: string; direction?: 'asc' | 'desc'; nulls?: 'nullsfirst' | 'nullslast' }[];
  filter: Record<string, string>;
  pageSizes: number[];
}

function orderParam(spec: Spec): string | undefined {
  if (spec.terms.length === 0) return undefined;
  return spec.terms.map((t) => [t.field, t.direction, t.nulls].filter(Boolean).join('.')).join(',');
}

function resolved(spec: Spec): OrderTerm[] {
  return spec.terms.map((t) => {
    const direction = t.direction ?? 'asc';
    const nulls = t.nulls ? (t.nulls === 'nullsfirst' ? 'first' : 'last') : direction === 'asc' ? 'last' : 'first';
    return { field: t.field, direction, nulls };
  });
}

/** The order the API promises: the sort terms, then _kf_row in the last term's direction. */
function referenceIds(spec: Spec, rows: Row[]): number[] {
  const order = resolved(spec);
  const rowSign = order.at(-1)?.direction === 'desc' ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      for (const term of order) {
        const x = a[term.field] ?? null;
        const y = b[term.field] ?? null;
        if (x === null && y === null) continue;
        if (x === null) return term.nulls === 'first' ? -1 : 1;
        if (y === null) return term.nulls === 'first' ? 1 : -1;
        const c = compareValues(fixture, fieldType(term.field), x, y);
        if (c !== 0) return term.direction === 'desc' ? -c : c;
      }
      return rowSign * (a._kf_row - b._kf_row);
    })
    .map((row) => row.c1_id as number);
}

const FILTERS: { params: Record<string, string>; keep: (row: Row) => boolean }[] = [
  { params: {}, keep: () => true },
  { params: { c3_district: 'not.is.null' }, keep: (row) => row.c3_district !== null },
  { params: { c4_count: 'gte.3' }, keep: (row) => row.c4_count !== null && (row.c4_count as number) >= 3 },
  { params: { q: '区' }, keep: (row) => [row.c2_name, row.c3_district].some((v) => typeof v === 'string' && v.includes('区')) },
];

async function pageThrough(spec: Spec): Promise<{ ids: number[]; pages: number }> {
  const seen: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (;;) {
    const limit = spec.pageSizes[pages % spec.pageSizes.length]!;
    const params: Record<string, string> = { ...spec.filter, limit: String(limit), count: 'none' };
    const order = orderParam(spec);
    if (order) params.order = order;
    if (cursor) params.cursor = cursor;
    const page = await fetchPage(fixture, params);
    const got = ids(page);
    pages += 1;
    expect(got.length).toBeLessThanOrEqual(limit);
    if (page.next !== null) expect(got.length).toBe(limit);
    seen.push(...got);
    if (page.next === null) return { ids: seen, pages };
    cursor = page.next;
    if (pages > fixture.rows.length + 2) throw new Error('paging does not end');
  }
}

async function expectCompleteAndOrdered(spec: Spec, keep: (row: Row) => boolean = () => true) {
  const expected = referenceIds(spec, fixture.rows.filter(keep));
  const { ids: seen } = await pageThrough(spec);
  expect(new Set(seen).size).toBe(seen.length);
  expect({ order: orderParam(spec), ids: seen }).toEqual({ order: orderParam(spec), ids: expected });
}

describe('keyset paging', () => {
  it('without an order, pages in insertion order', async () => {
    await expectCompleteAndOrdered({ terms: [], filter: {}, pageSizes: [37] });
  });

  const single = SORTABLE.flatMap((f) =>
    (['asc', 'desc'] as const).flatMap((direction) =>
      ([undefined, 'nullsfirst', 'nullslast'] as const).map((nulls) => {
        const term = { field: f.name, direction, nulls };
        return [orderParam({ terms: [term], filter: {}, pageSizes: [] })!, term] as const;
      }),
    ),
  );
  it.each(single)('order=%s with NULLs and duplicates', async (_, term) => {
    await expectCompleteAndOrdered({ terms: [term], filter: {}, pageSizes: [7, 23] });
  });

  it('mixed directions over several keys', async () => {
    await expectCompleteAndOrdered({
      terms: [{ field: 'c3_district', direction: 'desc' }, { field: 'c6_open', nulls: 'nullsfirst' }, { field: 'c5_amount', direction: 'desc', nulls: 'nullslast' }],
      filter: {},
      pageSizes: [5, 11, 1],
    });
  });

  it('a page size of 1 and a page size larger than the result', async () => {
    await expectCompleteAndOrdered({ terms: [{ field: 'c4_count', direction: 'desc' }], filter: { c3_district: 'eq.包河区' }, pageSizes: [1] }, (row) => row.c3_district === '包河区');
    const { pages } = await pageThrough({ terms: [{ field: 'c2_name' }], filter: {}, pageSizes: [1000] });
    expect(pages).toBe(1);
  });

  it('exactly one full last page has no next cursor', async () => {
    const { pages } = await pageThrough({ terms: [], filter: {}, pageSizes: [100] });
    expect(pages).toBe(3);
  });

  it('property: any order, filter and sequence of page sizes visits every row once, in order', async () => {
    const term = fc.record(
      {
        field: fc.constantFrom(...SORTABLE.map((f) => f.name)),
        direction: fc.constantFrom('asc' as const, 'desc' as const),
        nulls: fc.constantFrom('nullsfirst' as const, 'nullslast' as const),
      },
      { requiredKeys: ['field'] },
    );
    const spec = fc.record({
      terms: fc.uniqueArray(term, { maxLength: 4, selector: (t) => t.field }),
      filterIndex: fc.nat({ max: FILTERS.length - 1 }),
      pageSizes: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(spec, async ({ terms, filterIndex, pageSizes }) => {
        const filter = FILTERS[filterIndex]!;
        // Keep runs quick: page sizes of 1 over 300 rows would be 300 queries.
        const sizes = pageSizes.map((size) => Math.max(size, 9));
        await expectCompleteAndOrdered({ terms, filter: filter.params, pageSizes: sizes }, filter.keep);
      }),
      { numRuns: 60 },
    );
  });
});
