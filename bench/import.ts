// CSV import throughput and memory: a synthetic 10-column file (3 personal columns)
// imported by the real importVersion into a fresh Postgres database, against two
// baselines measured in the same run on the same file: parsing it with readCsv alone (no
// transforms, no database), and psql's `\copy` of it into a plain text table (no parsing
// in Node, no privacy work: the floor for getting these bytes into Postgres).
//
//   npx tsx bench/import.ts                  1,000,000 rows (BENCH_ROWS to change)
//   BENCH_ROWS=20000 npx tsx bench/import.ts smoke test
//
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) must allow
// CREATE DATABASE; the bench database is dropped afterwards. Each measured phase runs in
// a child process of its own so its peak RSS is its own; BENCH_NODE_OPTIONS (e.g.
// `--cpu-prof --cpu-prof-dir=tmp/prof`) is passed to those children.
//
// Synthetic data only: a fixed seed and the generators of src/privacy/synthetic.ts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { systemClock } from '../src/clock';
import { createDataset } from '../src/datasets/create-dataset';
import { createPublisher } from '../src/datasets/create-publisher';
import { importVersion } from '../src/datasets/import-version';
import { readCsv } from '../src/datasets/ingest/read-csv';
import { openDatabase, postgresTransactionOf } from '../src/db/client';
import { loadPolicyFile } from '../src/privacy/index';
import { createRng, syntheticMobile, syntheticPersonName, syntheticResidentId } from '../src/privacy/synthetic';
import { createBenchDatabase, dropBenchDatabase } from './lib/database';
import { report, startRssSampler, type BenchResult } from './lib/report';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SEED = 20261128;
const POLICY_FILE = fileURLToPath(new URL('../policies/default.yaml', import.meta.url));
// Any 48 characters: the bench only needs pseudonyms to be computed, not to be secret.
const PLATFORM_SECRET = 'kaifang-bench-platform-secret-not-for-production';
const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;
const RESULT_PREFIX = 'BENCH_PHASE_RESULT ';
const SELF = fileURLToPath(import.meta.url);

export const HEADER = ['办件编号', '事项名称', '申请人', '身份证号', '手机号码', '所在区', '办理天数', '受理日期', '收费金额', '办理状态'];
const ITEMS = ['社保卡补办', '居住证签注', '个体工商户登记', '不动产登记', '医保关系转移', '公积金提取', '新生儿落户', '营业执照变更', '建设工程规划许可', '道路运输证年审', '残疾人证办理', '老年优待证'];
const DISTRICTS = ['蜀山区', '包河区', '庐阳区', '瑶海区', '高新区', '经开区', '新站区', '肥西县', '肥东县', '长丰县'];
const STATUSES = ['已办结', '已办结', '已办结', '办理中', '已退回', '不予受理'];

/** One synthetic row; personal values come in the spellings department exports really use. */
function syntheticRow(rng: ReturnType<typeof createRng>, index: number): string {
  const id = syntheticResidentId(rng, { birthYears: [1950, 2006] });
  const mobile = syntheticMobile(rng);
  const variant = index % 10;
  const idWritten = variant === 0 ? `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}` : id;
  const mobileWritten = variant === 1 ? `${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}` : variant === 2 ? `+86 ${mobile}` : mobile;
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  const fee = rng.int(0, 3) === 0 ? `${rng.int(1, 2000)}.${rng.digits(2)}` : '0';
  return [
    `HF2026${String(index + 1).padStart(7, '0')}`,
    rng.pick(ITEMS),
    syntheticPersonName(rng),
    idWritten,
    mobileWritten,
    rng.pick(DISTRICTS),
    String(rng.int(1, 30)),
    `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    fee,
    rng.pick(STATUSES),
  ].join(',');
}

/** Streams `rows` rows to `path` with back-pressure; the file is never held in memory. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const rng = createRng(SEED);
  const out = createWriteStream(path);
  const LINES_PER_WRITE = 5000;
  let chunk = `${HEADER.join(',')}\n`;
  for (let index = 0; index < rows; index++) {
    chunk += `${syntheticRow(rng, index)}\n`;
    if ((index + 1) % LINES_PER_WRITE === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

interface PhaseResult {
  rows: number;
  seconds: number;
  maxRssMiB: number;
  sampledPeakMiB: number;
  note?: string;
}

/** Child phase: readCsv over the file, touching every cell, nothing else. */
async function parsePhase(csvPath: string): Promise<PhaseResult> {
  const rss = startRssSampler();
  const started = performance.now();
  const csv = await readCsv(createReadStream(csvPath), { maxBytes: MAX_IMPORT_BYTES });
  let rows = 0;
  let chars = 0;
  for await (const row of csv) {
    rows++;
    for (const value of row.values) chars += value.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds, ...rss.stop(), note: `${chars.toLocaleString('en-US')} chars` };
}

type Tier = 'unconditional' | 'conditional';
const TIERS: Tier[] = ['unconditional', 'conditional'];

/** Child phase: publisher, dataset, then the timed importVersion. */
async function importPhase(csvPath: string, databaseUrl: string, tier: Tier): Promise<PhaseResult> {
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl, poolMax: 2 });
  try {
    const policy = await loadPolicyFile(POLICY_FILE);
    const identity = { subject: 'bench', roles: ['admin' as const], publisher: undefined };
    await createPublisher(db, identity, { slug: `bench-dept-${tier}`, name: '合成数据局' });
    const dataset = await createDataset(
      db,
      identity,
      {
        slug: `bench-service-cases-${tier}`,
        publisher: `bench-dept-${tier}`,
        title: '政务服务办件记录（合成数据）',
        description: '基准测试用合成数据',
        theme: '政务服务',
        keywords: ['办件'],
        licence: 'CC-BY-4.0',
        updateFrequency: 'monthly',
        contact: 'opendata@bench.example',
        // Unconditional: the three personal columns are dropped. Conditional: resident IDs
        // and names are pseudonymized (an HMAC per cell), the heavier path. Both are measured.
        openTier: tier,
        dataGrade: 'general',
        personLevel: true,
        declarations: {},
      },
      systemClock.nowMs(),
    );
    // importVersion silently falls back to INSERTs without the postgres.js transaction: measure COPY or nothing.
    await db.orm.transaction(async (tx) => {
      if (!postgresTransactionOf(tx)) throw new Error('postgresTransactionOf found no postgres.js transaction: the import would not use COPY');
    });
    const context = { db, policy, secret: PLATFORM_SECRET, maxImportBytes: MAX_IMPORT_BYTES, clock: systemClock };

    const rss = startRssSampler();
    const started = performance.now();
    const version = await importVersion(context, identity, { datasetId: dataset.id, source: createReadStream(csvPath) });
    const seconds = (performance.now() - started) / 1000;
    const memory = rss.stop();

    const [{ count }] = (await db.rows<{ count: number }>(sql.raw(`select count(*)::int as count from staging."${version.tableName}"`))) as [{ count: number }];
    if (count !== version.rowCount) throw new Error(`stored ${count} rows, version says ${version.rowCount}`);
    const actions = version.classification.columns.map((column) => `${column.title}:${column.appliedAction}`).join(' ');
    return { rows: version.rowCount, seconds, ...memory, note: actions };
  } finally {
    await db.close();
  }
}

/** psql `\copy` of the same file into an all-text table: Postgres' own ingest speed. */
async function copyBaseline(csvPath: string, databaseUrl: string): Promise<PhaseResult> {
  const columns = HEADER.map((_, index) => `c${index + 1} text`).join(', ');
  await runPsql(databaseUrl, [`create table copy_baseline (${columns})`]);
  const started = performance.now();
  await runPsql(databaseUrl, [`\\copy copy_baseline from '${csvPath.replaceAll("'", "''")}' with (format csv, header true)`]);
  const seconds = (performance.now() - started) / 1000;
  const output = await runPsql(databaseUrl, ['select count(*) from copy_baseline'], ['-tA']);
  return { rows: Number(output.trim()), seconds, maxRssMiB: Number.NaN, sampledPeakMiB: Number.NaN };
}

async function runPsql(databaseUrl: string, commands: string[], flags: string[] = []): Promise<string> {
  const child = spawn('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...flags, ...commands.flatMap((command) => ['-c', command])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`psql exited with ${code}`);
  return output;
}

/** Runs a phase of this file in a fresh Node process and returns what it measured. */
async function inChild(phase: string, args: string[]): Promise<PhaseResult> {
  const nodeOptions = (process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', SELF, phase, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = output.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
  if (code !== 0 || line === undefined) throw new Error(`bench phase ${phase} failed (exit ${code})\n${output}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as PhaseResult;
}

async function serverVersion(databaseUrl: string): Promise<string> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client`show server_version`;
    return String(row!.server_version);
  } finally {
    await client.end();
  }
}

export async function run(): Promise<BenchResult[]> {
  if (!Number.isSafeInteger(ROWS) || ROWS < 1) throw new RangeError('BENCH_ROWS must be a positive integer');
  const dir = await mkdtemp(join(tmpdir(), 'kaifang-bench-'));
  const csvPath = join(dir, 'cases.csv');
  let databaseUrl: string | undefined;
  try {
    const generateStarted = performance.now();
    await writeCsv(csvPath, ROWS);
    const generateSeconds = (performance.now() - generateStarted) / 1000;
    const bytes = (await stat(csvPath)).size;
    console.error(`bench import: ${ROWS.toLocaleString('en-US')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MiB CSV written in ${generateSeconds.toFixed(1)} s`);

    databaseUrl = await createBenchDatabase();
    const migrating = await openDatabase({ kind: 'postgres', url: databaseUrl, poolMax: 1 });
    await migrating.migrate();
    await migrating.close();
    const version = await serverVersion(databaseUrl);

    const parsed = await inChild('parse', [csvPath]);
    const copied = await copyBaseline(csvPath, databaseUrl);
    const imports: [Tier, PhaseResult][] = [];
    for (const tier of TIERS) imports.push([tier, await inChild('import', [csvPath, databaseUrl, tier])]);
    for (const phase of [parsed, copied, ...imports.map(([, result]) => result)]) {
      if (phase.rows !== ROWS) throw new Error(`a phase saw ${phase.rows} rows, expected ${ROWS}`);
    }
    for (const [tier, imported] of imports) {
      console.error(`bench import (${tier}): applied actions ${imported.note}`);
      console.error(`bench import (${tier}): sampled peak RSS parse ${parsed.sampledPeakMiB.toFixed(0)} MiB, import ${imported.sampledPeakMiB.toFixed(0)} MiB`);
    }

    const mib = (bytes / 1024 / 1024).toFixed(0);
    return [
      { bench: 'import', case: 'baseline: readCsv only', ops: parsed.rows, unit: 'rows', seconds: parsed.seconds, peakRssMiB: parsed.maxRssMiB, note: `${mib} MiB file` },
      { bench: 'import', case: 'baseline: psql \\copy', ops: copied.rows, unit: 'rows', seconds: copied.seconds, peakRssMiB: undefined, note: `Postgres ${version}, text table` },
      ...imports.map(([tier, imported]) => ({
        bench: 'import',
        case: `importVersion → Postgres (${tier})`,
        ops: imported.rows,
        unit: 'rows',
        seconds: imported.seconds,
        peakRssMiB: imported.maxRssMiB,
        note: `${(imported.seconds / copied.seconds).toFixed(1)}× \\copy, ${(imported.seconds / parsed.seconds).toFixed(1)}× parse`,
      })),
    ];
  } finally {
    if (databaseUrl) await dropBenchDatabase(databaseUrl);
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [phase, ...args] = process.argv.slice(2);
  if (phase === 'parse' || phase === 'import') {
    const result = phase === 'parse' ? await parsePhase(args[0]!) : await importPhase(args[0]!, args[1]!, args[2] as Tier);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    return;
  }
  report(await run());
}

if (process.argv[1] === SELF) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
