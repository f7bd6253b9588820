// What a benchmark hands back, and how it is printed. Benchmarks are plain scripts
// (`tsx bench/<name>.ts`); `bench/run.ts` runs each one as a child process with
// BENCH_RESULTS_FILE set and collects the rows they append there, so every benchmark
// gets a process of its own and its peak RSS is not inflated by the one before.
import { appendFileSync } from 'node:fs';

export interface BenchResult {
  /** Benchmark file, e.g. `import`. */
  bench: string;
  /** What was measured, e.g. `importVersion → Postgres`. */
  case: string;
  /** Units of work done: rows, verifications, ... */
  ops: number;
  unit: string;
  seconds: number;
  /** Peak resident set size of the process that did the work, in MiB; undefined when not measured. */
  peakRssMiB: number | undefined;
  note?: string;
}

export const RESULTS_FILE_ENV = 'BENCH_RESULTS_FILE';

/** Prints the rows as a table and, under `bench/run.ts`, hands them to it. */
export function report(results: BenchResult[]): void {
  console.log(formatTable(results));
  const file = process.env[RESULTS_FILE_ENV];
  if (file) appendFileSync(file, results.map((result) => `${JSON.stringify(result)}\n`).join(''));
}

export function formatTable(results: BenchResult[]): string {
  const header = ['bench', 'case', 'ops', 'seconds', 'ops/s', 'peak RSS MiB', 'note'];
  const rows = results.map((result) => [
    result.bench,
    result.case,
    `${result.ops.toLocaleString('en-US')} ${result.unit}`,
    result.seconds.toFixed(2),
    Math.round(result.ops / result.seconds).toLocaleString('en-US'),
    result.peakRssMiB === undefined ? '-' : result.peakRssMiB.toFixed(0),
    result.note ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * Peak RSS of this process: the kernel's high-water mark (maxRSS, KiB on Linux), and a
 * 50 ms sampler as a cross-check for platforms where maxRSS means something else.
 */
export function startRssSampler(intervalMs = 50): { stop(): { maxRssMiB: number; sampledPeakMiB: number } } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return { maxRssMiB: process.resourceUsage().maxRSS / 1024, sampledPeakMiB: peak / 1024 / 1024 };
    },
  };
}
