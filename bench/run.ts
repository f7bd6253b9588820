// `npm run bench`: runs every benchmark in bench/ (each `*.ts` here except this file; helpers
// live in bench/lib/) one after another, each in a process of its own, then prints all
// their results as one table. A benchmark reports through `report()` of bench/lib/report.ts,
// which appends its rows to the file named by BENCH_RESULTS_FILE.
//
//   npm run bench                      everything, full size
//   BENCH_ROWS=20000 npm run bench     smoke test
//   npm run bench -- import            only bench/import.ts
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, RESULTS_FILE_ENV, type BenchResult } from './lib/report';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const files = (await readdir(BENCH_DIR))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'run.ts')
    .filter((file) => only.size === 0 || only.has(basename(file, '.ts')))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${[...only].join(', ')}`);

  const dir = await mkdtemp(join(tmpdir(), 'kaifang-bench-run-'));
  const results: BenchResult[] = [];
  const failed: string[] = [];
  try {
    for (const file of files) {
      const resultsFile = join(dir, `${basename(file, '.ts')}.jsonl`);
      console.error(`\n== bench/${file}`);
      const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, file)], {
        stdio: 'inherit',
        env: { ...process.env, [RESULTS_FILE_ENV]: resultsFile },
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      const reported = await readFile(resultsFile, 'utf8').catch(() => '');
      const rows = reported.split('\n').filter(Boolean).map((line) => JSON.parse(line) as BenchResult);
      if (code !== 0) failed.push(`${file} (exit ${code})`);
      else if (rows.length === 0) failed.push(`${file} (reported no results)`);
      results.push(...rows);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  console.log(`\nAll benchmarks (${new Date().toISOString()}):\n`);
  console.log(formatTable(results));
  if (failed.length > 0) {
    console.error(`\nFailed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
