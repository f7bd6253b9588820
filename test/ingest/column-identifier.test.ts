import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toColumnIdentifier, toColumnIdentifiers } from '../../src/datasets/ingest/read-csv.js';

describe('toColumnIdentifier', () => {
  it('builds c<position>[_slug] identifiers', () => {
    expect(toColumnIdentifiers(['电话', 'Phone Number', 'Café', 'select', '"; DROP TABLE x; --', 'ＡＢＣ'])).toEqual([
      'c1',
      'c2_phone_number',
      'c3_cafe',
      'c4_select',
      'c5_drop_table_x',
      'c6_abc',
    ]);
  });

  it('caps the length at 50', () => {
    const id = toColumnIdentifier('a'.repeat(200), 11);
    expect(id).toHaveLength(50);
    expect(id.startsWith('c12_')).toBe(true);
  });

  it('is always safe, short and unique within a table (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 30 }), (header) => {
        const ids = toColumnIdentifiers(header);
        for (const id of ids) expect(id).toMatch(/^c[1-9][0-9]*(_[a-z0-9_]*[a-z0-9])?$/);
        for (const id of ids) expect(id.length).toBeLessThanOrEqual(50);
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});
