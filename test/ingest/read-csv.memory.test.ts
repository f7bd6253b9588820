import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/datasets/ingest/read-csv.js';
import { TypeInferrer } from '../../src/datasets/ingest/infer-types.js';

// Exposes a gc() so heap samples measure retained memory, not garbage awaiting collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 200_000;

/** ~80 MB of CSV, generated 1,000 rows per chunk: never held in memory as a whole. */
async function* generatedCsv(): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode('编号,姓名,地址,备注,日期\n');
  for (let start = 0; start < ROWS; start += 1000) {
    let text = '';
    for (let i = start; i < start + 1000; i++) {
      text += `${i},"用户${i}","安徽省合肥市蜀山区某某路${i}号, 3单元","引号""测试""和换行\n第二行 ${'备注'.repeat(40)}",2024-01-${String((i % 28) + 1).padStart(2, '0')}\n`;
    }
    yield encoder.encode(text);
  }
}

describe('readCsv memory', () => {
  it('streams 200k rows with bounded heap', async () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    const csv = await readCsv(generatedCsv(), { maxBytes: 1 << 30 });
    const inferrers = csv.header.map(() => new TypeInferrer());
    let count = 0;
    let lastLine = 0;
    for await (const row of csv) {
      row.values.forEach((value, i) => inferrers[i]!.add(value));
      lastLine = row.line;
      if (++count % 20_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(count).toBe(ROWS);
    expect(lastLine).toBe(1 + 2 * ROWS - 1); // every row spans two lines
    expect(inferrers.map((inferrer) => inferrer.result().type)).toEqual(['integer', 'string', 'string', 'string', 'date']);
    expect(peak).toBeLessThan(20 * 1024 * 1024);
  });
});
