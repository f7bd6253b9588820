// The open data API under load (issue 5, "Performance"): a published 10-column dataset of
// BENCH_ROWS rows (default 1,000,000) on real Postgres, served by the real Kaifang server
// (key auth, per-key rate limiting and usage metering all on, limits raised so the run is
// never refused), against a baseline measured in the same run on the same table: plain
// Hono + postgres.js, the same filter, page size and keyset order, rows parsed into
// objects and re-serialised with JSON.stringify, no auth.
//
//   npx tsx bench/records.ts                      1,000,000 rows (BENCH_ROWS to change)
//   BENCH_ROWS=20000 npx tsx bench/records.ts     smoke test
//
// What it measures:
//   1. throughput: autocannon, 32 connections (BENCH_CONNECTIONS), BENCH_DURATION_S (30) per
//      variant in six interleaved rounds, one per order of the three variants, loopback, an indexed filter (district = one of 10 values) and 100-row pages;
//      Kaifang with its default `count=estimated` and with `count=none`.
//   2. page 1,000 reached by cursor against page 1, sequential requests, interleaved.
//   3. the latency of `count=estimated` (and `count=exact` for contrast), each sample with a
//      filter not counted before, since counts are cached per table and filter.
//   4. CSV export of every row from a freshly started server process (its peak RSS is the
//      export's), beside psql `\copy (select ...) to stdout` of the same rows.
//
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) must allow
// CREATE DATABASE; the bench database is dropped afterwards (BENCH_KEEP_DATABASE=1 keeps
// it, for profiling, and BENCH_REUSE_DATABASE=<its URL> measures on it again; drop it
// yourself). Both servers run in child processes, so the load generator in this process
// does not share their event loop, and each server's peak RSS (VmHWM) and CPU time are its
// own, read from /proc. Kaifang runs as `npm start` runs it: the bundle dist/kaifang.mjs
// under plain Node; the baseline is this file with a phase argument. For every load phase
// the bench also reports the CPU time per request of the server, of Postgres (every
// `postgres` process) and of the load generator. Synthetic data only.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import postgres from 'postgres';
import { systemClock } from '../src/clock';
import { createDataset } from '../src/datasets/create-dataset';
import { createPublisher } from '../src/datasets/create-publisher';
import { importVersion } from '../src/datasets/import-version';
import { approveVersion } from '../src/datasets/review/approve-version';
import { submitVersion } from '../src/datasets/review/submit-version';
import type { FieldDeclaration } from '../src/datasets/tables';
import { openDatabase } from '../src/db/client';
import { loadPolicyFile } from '../src/privacy/index';
import { createRng } from '../src/privacy/synthetic';
import { createBenchDatabase, dropBenchDatabase } from './lib/database';
import { report, type BenchResult } from './lib/report';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30);
const WARMUP_S = 3;
const PHASE_WARMUP_S = 1;
const LATENCY_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const PAGE_ROWS = 100;
const DEEP_PAGE = 1000;
const SEED = 20261128;
const SLUG = 'bench-records';
// Any 48 characters: the bench needs a platform secret, not a secret one.
const PLATFORM_SECRET = 'kaifang-bench-platform-secret-not-for-production';
const POLICY_FILE = fileURLToPath(new URL('../policies/default.yaml', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KAIFANG_BUNDLE = join(ROOT, 'dist', 'kaifang.mjs');

/** `npm run build`: the bundle `npm start` runs. */
async function buildBundle(): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the build exited with ${code}`);
}
// A database a BENCH_KEEP_DATABASE run left behind, to measure again without rebuilding (the setup row then reads 0 s).
const REUSE_DATABASE = process.env.BENCH_REUSE_DATABASE || undefined;

const DISTRICTS = ['蜀山区', '包河区', '庐阳区', '瑶海区', '高新区', '经开区', '新站区', '肥西县', '肥东县', '长丰县'];
const ITEMS = ['社保卡补办', '居住证签注', '个体工商户登记', '不动产登记', '医保关系转移', '公积金提取', '新生儿落户', '营业执照变更', '建设工程规划许可', '道路运输证年审', '残疾人证办理', '老年优待证'];
const STATUSES = ['已办结', '已办结', '已办结', '办理中', '已退回', '不予受理'];
const CHANNELS = ['窗口', '网上', '自助终端', '邮寄'];
const FILTER_DISTRICT = DISTRICTS[2]!;

// Ten open columns, no personal data: the bench measures serving, not the privacy policy.
// Only the district (text, 10 values) and the days (integer) are filterable and sortable,
// so publishing builds the indexes the queries below need and no others.
const HEADER = ['办件编号', '事项名称', '所在区', '办理天数', '受理日期', '收费金额', '办理状态', '办理渠道', '窗口编号', '满意度'];
const DECLARATIONS: Record<string, FieldDeclaration> = Object.fromEntries(
  HEADER.map((title) => [title, { filterable: false, sortable: false }]),
);
DECLARATIONS['所在区'] = { fieldType: 'string', filterable: true, sortable: true };
DECLARATIONS['办理天数'] = { fieldType: 'integer', filterable: true, sortable: true };

async function writeCsv(path: string, rows: number): Promise<void> {
  const rng = createRng(SEED);
  const out = createWriteStream(path);
  let chunk = `${HEADER.join(',')}\n`;
  for (let index = 0; index < rows; index++) {
    const fee = rng.int(0, 3) === 0 ? `${rng.int(1, 2000)}.${rng.digits(2)}` : '0';
    chunk += `${[
      `HF2026${String(index + 1).padStart(7, '0')}`,
      rng.pick(ITEMS),
      rng.pick(DISTRICTS),
      rng.int(1, 30),
      `2026-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      fee,
      rng.pick(STATUSES),
      rng.pick(CHANNELS),
      rng.int(1, 60),
      rng.int(1, 5),
    ].join(',')}\n`;
    if ((index + 1) % 5000 === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Publishes the dataset through the real pipeline: import → submit → approve (indexes, ANALYZE). */
async function buildDataset(databaseUrl: string, csvPath: string): Promise<{ importSeconds: number; publishSeconds: number }> {
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl, poolMax: 2 });
  try {
    await db.migrate();
    const policy = await loadPolicyFile(POLICY_FILE);
    const ctx = { db, policy, secret: PLATFORM_SECRET, maxImportBytes: 4 * 1024 ** 3, clock: systemClock };
    const admin = { subject: 'bench.admin', roles: ['admin' as const], publisher: undefined };
    const steward = { subject: 'bench.steward', roles: ['steward' as const], publisher: 'bench-dept' };
    const approver = { subject: 'bench.approver', roles: ['approver' as const], publisher: 'bench-dept' };
    await createPublisher(db, admin, { slug: 'bench-dept', name: '合成数据局' });
    const dataset = await createDataset(
      db,
      steward,
      {
        slug: SLUG,
        publisher: 'bench-dept',
        title: '政务服务办件统计（合成数据）',
        description: '基准测试用合成数据',
        theme: '政务服务',
        keywords: ['办件'],
        licence: 'CC-BY-4.0',
        updateFrequency: 'monthly',
        contact: 'opendata@bench.example',
        openTier: 'unconditional',
        dataGrade: 'general',
        personLevel: false,
        declarations: DECLARATIONS,
      },
      systemClock.nowMs(),
    );
    let started = performance.now();
    const version = await importVersion(ctx, steward, { datasetId: dataset.id, source: createReadStream(csvPath) });
    const importSeconds = (performance.now() - started) / 1000;
    if (version.rowCount !== ROWS) throw new Error(`imported ${version.rowCount} rows, expected ${ROWS}`);
    started = performance.now();
    await submitVersion(ctx, steward, dataset.id, version.number);
    await approveVersion(ctx, approver, dataset.id, version.number);
    return { importSeconds, publishSeconds: (performance.now() - started) / 1000 };
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------
// Servers, each in a child process of this file. The parent talks to them over IPC.

type ServerMessage = { url: string };

/**
 * The real Kaifang server, started the way `npm start` starts it: the bundle
 * dist/kaifang.mjs (built by scripts/build.mjs at the start of the run) under plain Node.
 */
async function startKaifang(databaseUrl: string, dataDir: string): Promise<ChildServer> {
  const nodeOptions = (process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeOptions, KAIFANG_BUNDLE, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      KAIFANG_SECRET: PLATFORM_SECRET,
      KAIFANG_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
      // Raised, not removed: every request still goes through the limiter and the meter.
      KEY_PLANS: JSON.stringify({ free: { limit: 1e9, dailyQuota: 1e9 } }),
      IP_RATE_LIMIT: '1000000000',
      SHUTDOWN_GRACE_MS: '1000',
    },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`kaifang serve exited with ${code}: ${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
  });
  return childServer(child, url, async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
}

/** Child: the baseline a developer would write in ten minutes. */
async function serveBaseline(databaseUrl: string, table: string, columns: string[], filterColumn: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  const app = new Hono();
  app.get('/records', async (c) => {
    const value = c.req.query('value') ?? '';
    const after = c.req.query('after') ?? '0';
    const rows = await client`select ${client(columns)}, _kf_row from ${client(table)}
      where ${client(filterColumn)} = ${value} and _kf_row > ${after} order by _kf_row limit ${PAGE_ROWS + 1}`;
    const data = rows.slice(0, PAGE_ROWS).map(({ _kf_row, ...row }) => row);
    const next = rows.length > PAGE_ROWS ? String(rows[PAGE_ROWS - 1]!._kf_row) : null;
    return c.json({ data, next });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const address = server.address() as { port: number };
  serveUntilStopped(`http://127.0.0.1:${address.port}`, async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    await client.end();
  });
}

function serveUntilStopped(url: string, stop: () => Promise<void>): void {
  process.send!({ url } satisfies ServerMessage);
  process.on('message', (message: string) => {
    if (message === 'stop') void stop().finally(() => process.exit(0));
  });
}

interface ChildServer {
  url: string;
  maxRssMiB(): Promise<number>;
  /** CPU time the server process has used so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

async function startChild(phase: string, args: string[]): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SELF, phase, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(([code]) => Promise.reject(new Error(`${phase} exited with ${code}`)))])) as [ServerMessage];
  return childServer(child, message.url, async () => {
    const exited = once(child, 'exit');
    child.send('stop');
    await exited;
  });
}

/** Peak RSS and CPU time of a server process, read from /proc (Linux), so any process can be measured alike. */
function childServer(child: ChildProcess, url: string, stop: () => Promise<void>): ChildServer {
  return {
    url,
    async maxRssMiB() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const peakKiB = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
      if (!peakKiB) throw new Error('no VmHWM in /proc status');
      return Number(peakKiB) / 1024;
    },
    async cpuMs() {
      return processCpuMs(await readFile(`/proc/${child.pid}/stat`, 'utf8'));
    },
    stop,
  };
}

// ---------------------------------------------------------------------------------------
// Measurements, in the parent.

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

const cpuMsOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ, what /proc/<pid>/stat counts in

/** User + system CPU time of one process, in ms, from the text of its /proc/<pid>/stat. */
function processCpuMs(stat: string): number {
  // Fields after the command name: state is field 3, utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S) * 1000;
}

/** CPU time used so far by every process named `postgres` on this machine, in ms (Linux /proc). */
async function postgresCpuMs(): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('postgres')) total += processCpuMs(stat);
  }
  return total;
}

/** Where the CPU of a load phase went, in ms. */
interface CpuSpent {
  serverMs: number;
  postgresMs: number;
  loadGeneratorMs: number;
}

async function load(url: string, headers: Record<string, string>, duration: number, server?: ChildServer): Promise<autocannon.Result & { cpu: CpuSpent }> {
  const before = { server: (await server?.cpuMs()) ?? 0, postgres: await postgresCpuMs(), self: process.cpuUsage() };
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  const cpu = { serverMs: ((await server?.cpuMs()) ?? 0) - before.server, postgresMs: (await postgresCpuMs()) - before.postgres, loadGeneratorMs: cpuMsOf(process.cpuUsage(before.self)) };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses and ${result.errors} errors under load`);
  return { ...result, cpu };
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Milliseconds for one complete request, body read. */
async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return elapsed;
}

/** Interleaved samples of several URLs, so they all see the same machine state. */
async function sampleLatencies(urls: string[], headers: Record<string, string>, samples: number): Promise<number[][]> {
  const results = urls.map(() => [] as number[]);
  for (let index = 0; index < 20; index++) for (const url of urls) await timed(url, headers);
  for (let index = 0; index < samples; index++) {
    for (const [position, url] of urls.entries()) results[position]!.push(await timed(url, headers));
  }
  return results.map((values) => values.sort((a, b) => a - b));
}

/** Follows `next` cursors from `url` to page `page` (or the last page); returns that page's URL and number. */
async function walkTo(url: string, headers: Record<string, string>, page: number): Promise<{ url: string; page: number }> {
  let current = url;
  for (let number = 1; number < page; number++) {
    const body = await getJson<{ next: string | null }>(current, headers);
    if (body.next === null) return { url: current, page: number };
    const next = new URL(url);
    next.searchParams.set('cursor', body.next);
    current = next.toString();
  }
  return { url: current, page };
}

/** Streams a response body to nowhere, counting bytes and newlines. */
async function drain(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
  }
  return { bytes, lines };
}

async function psqlCopy(databaseUrl: string, query: string): Promise<{ seconds: number; bytes: number; lines: number }> {
  const started = performance.now();
  const child = spawn('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${query}) to stdout with (format csv, header true)`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [counted, [code]] = await Promise.all([drain(child.stdout!), once(child, 'exit') as Promise<[number | null]>]);
  if (code !== 0) throw new Error(`psql exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, ...counted };
}

interface PublicField {
  name: string;
  title: string;
}

export async function run(): Promise<BenchResult[]> {
  if (!Number.isSafeInteger(ROWS) || ROWS < 1) throw new RangeError('BENCH_ROWS must be a positive integer');
  const dir = await mkdtemp(join(tmpdir(), 'kaifang-bench-records-'));
  const csvPath = join(dir, 'cases.csv');
  let databaseUrl: string | undefined;
  const servers: ChildServer[] = [];
  const createAndBuild = async () => {
    await writeCsv(csvPath, ROWS);
    databaseUrl = await createBenchDatabase();
    return buildDataset(databaseUrl, csvPath);
  };
  try {
    const built = REUSE_DATABASE ? { importSeconds: 0, publishSeconds: 0 } : await createAndBuild();
    databaseUrl = REUSE_DATABASE ?? databaseUrl;
    if (!databaseUrl) throw new Error('no bench database');
    if (!REUSE_DATABASE) console.error(`bench records: ${ROWS.toLocaleString('en-US')} rows imported in ${built.importSeconds.toFixed(1)} s, published in ${built.publishSeconds.toFixed(1)} s`);

    await buildBundle();
    const kaifang = await startKaifang(databaseUrl, join(dir, 'data'));
    servers.push(kaifang);
    const signup = await fetch(`${kaifang.url}/v1/accounts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Bench', email: `bench-${Date.now()}@example.com` }) });
    if (signup.status !== 201) throw new Error(`sign-up answered ${signup.status}: ${await signup.text()}`);
    const key = ((await signup.json()) as { key: { key: string } }).key.key;
    const auth = { Authorization: `Bearer ${key}` };

    const meta = await getJson<{ id: string; fields: PublicField[]; versions: { number: number }[] }>(`${kaifang.url}/v1/datasets/${SLUG}`, {});
    const nameOf = (title: string) => meta.fields.find((field) => field.title === title)!.name;
    const district = nameOf('所在区');
    const days = nameOf('办理天数');
    const columns = meta.fields.map((field) => field.name);
    const table = `published.ds_${meta.id.replaceAll('-', '')}_v${meta.versions[0]!.number}`;
    if (columns.length !== 10) throw new Error(`expected 10 public fields, got ${columns.join(', ')}`);

    const baseline = await startChild('serve-baseline', [databaseUrl, table, columns.join(','), district]);
    servers.push(baseline);

    // Both answer the same rows for the same page.
    const records = `${kaifang.url}/v1/datasets/${SLUG}/records?${district}=eq.${encodeURIComponent(FILTER_DISTRICT)}&limit=${PAGE_ROWS}`;
    const baselineUrl = `${baseline.url}/records?value=${encodeURIComponent(FILTER_DISTRICT)}`;
    const ours = await getJson<{ data: Record<string, unknown>[] }>(records, auth);
    const theirs = await getJson<{ data: Record<string, unknown>[] }>(baselineUrl, {});
    const firstColumn = columns[0]!;
    if (ours.data.length !== PAGE_ROWS || JSON.stringify(ours.data.map((row) => row[firstColumn])) !== JSON.stringify(theirs.data.map((row) => row[firstColumn]))) {
      throw new Error('Kaifang and the baseline disagree on the first page');
    }

    // 1. Throughput. Warm both, then six rounds of DURATION_S / 6 per variant, interleaved,
    // so a change in the machine's load (it is shared) falls on all three alike.
    const noCount = `${records}&count=none`;
    await load(baselineUrl, {}, WARMUP_S);
    await load(noCount, auth, WARMUP_S);
    const rounds: Record<'base' | 'none' | 'estimated', Awaited<ReturnType<typeof load>>[]> = { base: [], none: [], estimated: [] };
    // Every order of the three variants once, so that none of them always follows the same
    // one or takes the same place in a round (the machine's state carries over between phases).
    const ORDERS = [['base', 'none', 'estimated'], ['none', 'estimated', 'base'], ['estimated', 'base', 'none'], ['estimated', 'none', 'base'], ['none', 'base', 'estimated'], ['base', 'estimated', 'none']] as const;
    // Each measured phase follows a second of the same load, unmeasured: a server that sat
    // idle through the other phases (V8 shrinks an idle heap, Postgres backends go cold)
    // would otherwise pay its warm-up inside whichever phase came first after the pause.
    const measured = async (url: string, headers: Record<string, string>, server: ChildServer) => {
      await load(url, headers, PHASE_WARMUP_S);
      return load(url, headers, DURATION_S / ORDERS.length, server);
    };
    const phases = {
      base: () => measured(baselineUrl, {}, baseline),
      none: () => measured(noCount, auth, kaifang),
      estimated: () => measured(records, auth, kaifang),
    };
    for (const order of ORDERS) for (const phase of order) rounds[phase].push(await phases[phase]());
    const total = (results: Awaited<ReturnType<typeof load>>[]) => ({
      // CPU per request, in ms, of the server process, of Postgres and of the load generator.
      cpu: (['serverMs', 'postgresMs', 'loadGeneratorMs'] as const).map(
        (part) => results.reduce((sum, result) => sum + result.cpu[part], 0) / results.reduce((sum, result) => sum + result['2xx'], 0),
      ),
      requests: results.reduce((sum, result) => sum + result['2xx'], 0),
      seconds: results.reduce((sum, result) => sum + result.duration, 0),
      // autocannon hands back percentiles per run: the mean p50 and the worst p99 over the rounds.
      p50: results.reduce((sum, result) => sum + result.latency.p50, 0) / results.length,
      p99: Math.max(...results.map((result) => result.latency.p99)),
    });
    const base = total(rounds.base);
    const withoutCount = total(rounds.none);
    const withCount = total(rounds.estimated);
    const rps = (result: ReturnType<typeof total>) => result.requests / result.seconds;
    // The ratio in each round on its own (variant against the baseline of the same round): the spread says how much one figure can be trusted.
    const roundRatios = (variant: 'none' | 'estimated') => {
      const ratios = rounds[variant].map((result, index) => result['2xx'] / result.duration / (rounds.base[index]!['2xx'] / rounds.base[index]!.duration)).sort((a, b) => a - b);
      return `${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}×`;
    };
    const loadNote = (result: ReturnType<typeof total>) =>
      `p50 ${ms(result.p50)}, p99 ${ms(result.p99)}; CPU per request: server ${result.cpu[0]!.toFixed(2)} ms, Postgres ${result.cpu[1]!.toFixed(2)} ms, load generator ${result.cpu[2]!.toFixed(2)} ms`;

    // 2. Page 1 and page 1,000 by cursor: the filtered query, and the whole table by days descending.
    const byDays = `${kaifang.url}/v1/datasets/${SLUG}/records?order=${days}.desc&limit=${PAGE_ROWS}&count=none`;
    const deepFiltered = await walkTo(noCount, auth, DEEP_PAGE);
    const deepOrdered = await walkTo(byDays, auth, DEEP_PAGE);
    const [filteredFirst, filteredDeep, orderedFirst, orderedDeep] = await sampleLatencies([noCount, deepFiltered.url, byDays, deepOrdered.url], auth, LATENCY_SAMPLES);

    // 3. Count latency. Counts are cached per published table and filter, so each sample
    // uses a filter not seen before (district × days ≥ n): the planner's estimate, cold.
    const coldFilters = DISTRICTS.flatMap((name) => Array.from({ length: 30 }, (_, days) => `${district}=eq.${encodeURIComponent(name)}&${days ? `${nameOf('办理天数')}=gte.${days}` : ''}`));
    const coldSample = async (mode: string, from: number) => {
      const times: number[] = [];
      for (let index = 0; index < Math.min(100, coldFilters.length / 3); index++) {
        times.push(await timed(`${kaifang.url}/v1/datasets/${SLUG}/records?${coldFilters[from + index * 3]}&limit=1&count=${mode}`, auth));
      }
      return times.sort((a, b) => a - b);
    };
    const countNone = await coldSample('none', 0);
    const countEstimated = await coldSample('estimated', 1);
    const countExact = await coldSample('exact', 2);
    const oneRow = `${kaifang.url}/v1/datasets/${SLUG}/records?${district}=eq.${encodeURIComponent(FILTER_DISTRICT)}&limit=1`;
    const estimated = await getJson<{ count: number }>(`${oneRow}&count=estimated`, auth);
    const exact = await getJson<{ count: number }>(`${oneRow}&count=exact`, auth);

    for (const server of servers.splice(0)) await server.stop();

    // 4. CSV export of every row, from a fresh server process, and psql \copy of the same rows.
    const exporter = await startKaifang(databaseUrl, join(dir, 'data'));
    servers.push(exporter);
    const rssBefore = await exporter.maxRssMiB();
    const exportStarted = performance.now();
    const exportResponse = await fetch(`${exporter.url}/v1/datasets/${SLUG}/export?format=csv`, { headers: auth });
    if (!exportResponse.ok || !exportResponse.body) throw new Error(`export answered ${exportResponse.status}`);
    const exported = await drain(exportResponse.body);
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    const exportRss = await exporter.maxRssMiB();
    if (exported.lines - 1 !== ROWS) throw new Error(`the export sent ${exported.lines - 1} rows, expected ${ROWS}`);
    for (const server of servers.splice(0)) await server.stop();
    const copied = await psqlCopy(databaseUrl, `select ${columns.map((column) => `"${column}"`).join(', ')} from ${table} order by _kf_row`);
    if (copied.lines - 1 !== ROWS) throw new Error(`psql copied ${copied.lines - 1} rows, expected ${ROWS}`);

    const filter = `${district}=eq.${FILTER_DISTRICT}`;
    const p50 = (values: number[]) => percentile(values, 50);
    const samples = (values: number[]) => values.reduce((a, b) => a + b, 0) / 1000;
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
    return [
      ...(REUSE_DATABASE
        ? []
        : [{ bench: 'records', case: 'setup: importVersion + publish', ops: ROWS, unit: 'rows', seconds: built.importSeconds + built.publishSeconds, peakRssMiB: undefined, note: `import ${built.importSeconds.toFixed(1)} s, submit + approve (indexes, ANALYZE) ${built.publishSeconds.toFixed(1)} s` }]),
      { bench: 'records', case: 'baseline: Hono + postgres.js, no auth', ops: base.requests, unit: 'requests', seconds: base.seconds, peakRssMiB: undefined, note: `${loadNote(base)}; ${CONNECTIONS} connections, ${filter}, ${PAGE_ROWS} rows` },
      { bench: 'records', case: 'Kaifang records, count=none', ops: withoutCount.requests, unit: 'requests', seconds: withoutCount.seconds, peakRssMiB: undefined, note: `${loadNote(withoutCount)}; ${(rps(withoutCount) / rps(base)).toFixed(2)}× baseline (rounds ${roundRatios('none')})` },
      { bench: 'records', case: 'Kaifang records, count=estimated (default)', ops: withCount.requests, unit: 'requests', seconds: withCount.seconds, peakRssMiB: undefined, note: `${loadNote(withCount)}; ${(rps(withCount) / rps(base)).toFixed(2)}× baseline (rounds ${roundRatios('estimated')})` },
      { bench: 'records', case: `page 1 vs ${deepFiltered.page} by cursor, ${filter}`, ops: LATENCY_SAMPLES * 2, unit: 'requests', seconds: samples(filteredFirst) + samples(filteredDeep), peakRssMiB: undefined, note: `p50 ${ms(p50(filteredFirst))} vs ${ms(p50(filteredDeep))}: ${(p50(filteredDeep) / p50(filteredFirst)).toFixed(2)}×` },
      { bench: 'records', case: `page 1 vs ${deepOrdered.page} by cursor, order=${days}.desc`, ops: LATENCY_SAMPLES * 2, unit: 'requests', seconds: samples(orderedFirst) + samples(orderedDeep), peakRssMiB: undefined, note: `p50 ${ms(p50(orderedFirst))} vs ${ms(p50(orderedDeep))}: ${(p50(orderedDeep) / p50(orderedFirst)).toFixed(2)}×` },
      { bench: 'records', case: 'limit=1 request, count=estimated (cold)', ops: countEstimated.length, unit: 'requests', seconds: samples(countEstimated), peakRssMiB: undefined, note: `p50 ${ms(p50(countEstimated))}, p99 ${ms(percentile(countEstimated, 99))}; count=none p50 ${ms(p50(countNone))}; estimate ${estimated.count} (exact ${exact.count})` },
      { bench: 'records', case: 'limit=1 request, count=exact (cold)', ops: countExact.length, unit: 'requests', seconds: samples(countExact), peakRssMiB: undefined, note: `p50 ${ms(p50(countExact))}, p99 ${ms(percentile(countExact, 99))}` },
      { bench: 'records', case: 'baseline: psql \\copy (select …) to stdout', ops: copied.lines - 1, unit: 'rows', seconds: copied.seconds, peakRssMiB: undefined, note: `csv, ${mib(copied.bytes)}` },
      { bench: 'records', case: 'Kaifang export format=csv (server process)', ops: exported.lines - 1, unit: 'rows', seconds: exportSeconds, peakRssMiB: exportRss, note: `${mib(exported.bytes)}; ${(exportSeconds / copied.seconds).toFixed(1)}× \\copy; server RSS before ${rssBefore.toFixed(0)} MiB` },
    ];
  } finally {
    for (const server of servers) await server.stop().catch(() => {});
    if (databaseUrl && (process.env.BENCH_KEEP_DATABASE === '1' || REUSE_DATABASE)) console.error(`bench records: kept ${databaseUrl}`);
    else if (databaseUrl) await dropBenchDatabase(databaseUrl);
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [phase, ...args] = process.argv.slice(2);
  if (phase === 'serve-baseline') return serveBaseline(args[0]!, args[1]!, args[2]!.split(','), args[3]!);
  report(await run());
}

if (process.argv[1] === SELF) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
