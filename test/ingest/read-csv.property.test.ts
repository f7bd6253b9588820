import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readAll, utf8 } from './helpers.js';

// A correct CSV writer: quote a field when it holds a delimiter, quote or line break.
function encodeCsv(table: string[][], delimiter: string, eol: string, quoteAll: boolean): string {
  const field = (value: string) =>
    quoteAll || /[",\t\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  return table.map((row) => row.map(field).join(delimiter)).join(eol);
}

const unit = fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\n', '\r\n', '\r', '\t', '中', '文', '𠀋', '😀', 'é', '\u3000');
const cell = fc.string({ unit, maxLength: 12 });

const tables = fc
  .record({ width: fc.integer({ min: 2, max: 5 }), height: fc.integer({ min: 0, max: 12 }) })
  .chain(({ width, height }) =>
    fc.record({
      names: fc.array(cell, { minLength: width, maxLength: width }),
      rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: height }),
      delimiter: fc.constantFrom(',', '\t'),
      eol: fc.constantFrom('\n', '\r\n'),
      trailingEol: fc.boolean(),
      quoteAll: fc.boolean(),
      encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'gb18030'),
      chunkSize: fc.integer({ min: 1, max: 64 }),
    }),
  );

describe('readCsv round trip', () => {
  it('reads back any table written by a correct CSV encoder', async () => {
    await fc.assert(
      fc.asyncProperty(tables, async (t) => {
        // Header names are trimmed by the reader and must be unique and non-empty.
        const header = t.names.map((name, i) => `${i}${name}`.trim());
        const text = encodeCsv([header, ...t.rows], t.delimiter, t.eol, t.quoteAll) + (t.trailingEol ? t.eol : '');
        const bytes =
          t.encoding === 'gb18030'
            ? iconv.encode(text, 'gb18030')
            : utf8((t.encoding === 'utf-8-bom' ? '\uFEFF' : '') + text);
        const result = await readAll(bytes, { encoding: t.encoding === 'gb18030' ? 'gb18030' : 'auto' }, t.chunkSize);
        expect(result.header).toEqual(header);
        expect(result.delimiter).toBe(t.delimiter);
        expect(result.rows.map((r) => r.values)).toEqual(t.rows);
        // Line numbers: each row starts after the line breaks of everything before it.
        let line = 1 + 1 + countBreaks(header);
        for (const [i, row] of result.rows.entries()) {
          expect(row.line).toBe(line);
          line += 1 + countBreaks(t.rows[i]!);
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});

function countBreaks(values: string[]): number {
  return values.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}
