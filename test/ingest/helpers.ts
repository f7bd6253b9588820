import { expect } from 'vitest';
import { isKaifangError, type KaifangError } from '../../src/errors.js';
import { readCsv, type CsvRow, type ReadCsvOptions } from '../../src/datasets/ingest/read-csv.js';

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Yields `bytes` in chunks of `size` bytes, counting how many chunks were pulled. */
export function chunked(bytes: Uint8Array, size: number) {
  const stats = { pulled: 0, closed: false };
  async function* generate() {
    try {
      for (let i = 0; i < bytes.length; i += size) {
        stats.pulled++;
        yield bytes.subarray(i, i + size);
      }
    } finally {
      stats.closed = true;
    }
  }
  return { source: generate(), stats };
}

export async function readAll(
  input: Uint8Array | string,
  options: Partial<ReadCsvOptions> = {},
  chunkSize = 7,
): Promise<{ header: readonly string[]; rows: CsvRow[]; delimiter: string; encoding: string }> {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  const csv = await readCsv(chunked(bytes, chunkSize).source, { maxBytes: 1 << 30, ...options });
  const rows: CsvRow[] = [];
  for await (const row of csv) rows.push(row);
  return { header: csv.header, rows, delimiter: csv.delimiter, encoding: csv.encoding };
}

/** Runs `work`, expects a KaifangError and returns it. */
export async function failure(work: Promise<unknown>): Promise<KaifangError> {
  try {
    await work;
  } catch (error) {
    if (isKaifangError(error)) return error;
    throw error;
  }
  expect.fail('expected a KaifangError');
}
