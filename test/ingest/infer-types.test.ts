import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferType, parseRow, parseValue, TypeInferrer } from '../../src/datasets/ingest/infer-types.js';

describe('inferType', () => {
  it.each([
    [['1', '-20', '300', ''], 'integer'],
    [['0', '1', '1', '0'], 'integer'], // 0/1 columns stay integers
    [['1', '2.5', '-3e4'], 'number'],
    [['true', 'FALSE', 'True'], 'boolean'],
    [['是', '否', ''], 'boolean'],
    [['2024-01-05', '2024/1/5', '2024年1月5日'], 'date'],
    [['2024-01-05T08:30:00Z', '2024-01-05 08:30:00', '2024-01-05T08:30:00.123+08:00'], 'datetime'],
    [['2024-01-05', '2024-01-05 08:30:00'], 'string'], // mixed date and datetime
    [['2024-02-30'], 'string'], // not a calendar date
    [['', '  '], 'string'], // no evidence
    [['abc', '1'], 'string'],
  ])('%j → %s', (values, expected) => {
    expect(inferType(values)).toBe(expected);
  });

  it('keeps digit strings with leading zeros as strings (area codes, postal codes)', () => {
    expect(inferType(['0551', '230000', '010'])).toBe('string');
    expect(inferType(['007'])).toBe('string');
    expect(inferType(['0.5', '05.5'])).toBe('string');
  });

  it('keeps long digit strings (ID numbers, phone numbers with +) as strings', () => {
    expect(inferType(['340104199001011234'])).toBe('string'); // 18-digit resident ID
    expect(inferType(['1234567890123456'])).toBe('string'); // 16 digits
    expect(inferType(['123456789012345'])).toBe('integer'); // 15 digits
    expect(inferType(['+8613800138000'])).toBe('string');
    expect(inferType(['13800138000'])).toBe('integer'); // 11 digits, no leading zero
    expect(inferType(['3.14159265358979323846'])).toBe('string'); // precision would be lost
  });

  it('counts nulls and values', () => {
    const inferrer = new TypeInferrer();
    for (const v of ['1', '', ' ', '2']) inferrer.add(v);
    expect(inferrer.result()).toEqual({ type: 'integer', valueCount: 2, nullCount: 2 });
  });

  it('never infers a type whose parsed value loses what was written (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?[0-9]{1,20}(\.[0-9]{1,5})?$/), (text) => {
        const type = inferType([text]);
        const parsed = parseValue(type, text);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        if (type === 'integer') expect(String(parsed.value)).toBe(text);
        if (type === 'number') expect(Number(text)).toBe(parsed.value);
        if (type === 'string') expect(parsed.value).toBe(text);
      }),
    );
  });
});

describe('parseValue', () => {
  it('parses typed values', () => {
    expect(parseValue('integer', ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseValue('integer', '9223372036854775807')).toEqual({ ok: true, value: '9223372036854775807' });
    expect(parseValue('integer', '-9223372036854775808')).toEqual({ ok: true, value: '-9223372036854775808' });
    expect(parseValue('number', '-1.5e3')).toEqual({ ok: true, value: -1500 });
    expect(parseValue('boolean', '是')).toEqual({ ok: true, value: true });
    expect(parseValue('boolean', '0')).toEqual({ ok: true, value: false });
    expect(parseValue('date', '2024年2月29日')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseValue('date', '2024/3/1')).toEqual({ ok: true, value: '2024-03-01' });
    expect(parseValue('datetime', '2024-03-01 08:05')).toEqual({ ok: true, value: '2024-03-01T08:05:00' });
    expect(parseValue('datetime', '2024-03-01T08:05:09.5+0800')).toEqual({
      ok: true,
      value: '2024-03-01T08:05:09.5+08:00',
    });
    expect(parseValue('string', ' kept as is ')).toEqual({ ok: true, value: ' kept as is ' });
  });

  it('treats empty cells as null for every type', () => {
    for (const type of ['integer', 'number', 'boolean', 'date', 'datetime', 'string'] as const) {
      expect(parseValue(type, '')).toEqual({ ok: true, value: null });
      expect(parseValue(type, '  ')).toEqual({ ok: true, value: null });
    }
  });

  it('rejects values that do not fit, without echoing them', () => {
    const cases = [
      ['integer', '0551'],
      ['integer', '9223372036854775808'],
      ['integer', '1.5'],
      ['number', '12,345'],
      ['number', '1.234567890123456789'],
      ['boolean', 'maybe'],
      ['date', '2023-02-29'],
      ['datetime', '2024-01-01 24:00:00'],
    ] as const;
    for (const [type, raw] of cases) {
      const result = parseValue(type, raw);
      expect(result.ok, `${type} ${raw}`).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(raw);
    }
    expect(parseValue('integer', '0551')).toEqual({
      ok: false,
      reason: 'value does not fit type integer: leading zeros would be lost',
    });
  });

  it('parseRow names line and column for each bad cell', () => {
    const fields = [
      { name: '数量', type: 'integer' },
      { name: 'date', type: 'date' },
      { name: 'note', type: 'string' },
    ] as const;
    expect(parseRow(fields, { line: 3, values: ['5', '2024-01-01', 'x'] })).toEqual({
      ok: true,
      values: [5, '2024-01-01', 'x'],
    });
    expect(parseRow(fields, { line: 7, values: ['five', 'soon', 'x'] })).toEqual({
      ok: false,
      issues: [
        { location: 'line 7, column "数量"', message: 'value does not fit type integer' },
        { location: 'line 7, column "date"', message: expect.stringContaining('does not fit type date') },
      ],
    });
  });
});
