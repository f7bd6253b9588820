import { describe, expect, it } from 'vitest';
import { checkKAnonymity, EquivalenceClassCounter, smallestEquivalenceClass } from '../../src/privacy/index';

const rows = [
  { birthYear: '1990', district: '蜀山区', sex: '女', visits: 1 },
  { birthYear: '1990', district: '蜀山区', sex: '女', visits: 2 },
  { birthYear: '1990', district: '蜀山区', sex: '男', visits: 3 },
  { birthYear: '1985', district: '包河区', sex: '男', visits: 4 },
  { birthYear: '1985', district: '包河区', sex: '男', visits: 5 },
  { birthYear: '1985', district: '包河区', sex: '男', visits: 6 },
];

describe('smallestEquivalenceClass', () => {
  it('counts classes over the quasi-identifiers only', () => {
    expect(smallestEquivalenceClass(rows, ['birthYear', 'district', 'sex'])).toEqual({
      rowCount: 6,
      classCount: 3,
      smallestClassSize: 1,
    });
    expect(smallestEquivalenceClass(rows, ['birthYear', 'district'])).toEqual({
      rowCount: 6,
      classCount: 2,
      smallestClassSize: 3,
    });
  });

  it('keeps null, empty string and missing apart from values, and handles no rows', () => {
    const summary = smallestEquivalenceClass([{ a: null }, { a: '' }, {}, { a: 'null' }], ['a']);
    expect(summary.classCount).toBe(3);
    expect(smallestEquivalenceClass([], ['a']).smallestClassSize).toBe(0);
  });
});

describe('EquivalenceClassCounter', () => {
  it('streams rows and reports against k without values', () => {
    const counter = new EquivalenceClassCounter(['birthYear', 'district', 'sex']);
    for (const row of rows) counter.add(row);
    const report = counter.report(2);
    expect(report).toEqual({
      rowCount: 6,
      classCount: 3,
      smallestClassSize: 1,
      k: 2,
      satisfied: false,
      classesBelowK: 1,
      rowsInClassesBelowK: 1,
    });
    expect(JSON.stringify(report)).not.toContain('蜀山区');
    expect(checkKAnonymity(rows, ['district'], 3).satisfied).toBe(true);
  });
});
