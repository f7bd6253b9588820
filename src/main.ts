// The `kaifang` command: one entry for serving and for the operator tasks around it.
import { Command, InvalidArgumentError } from 'commander';
import { sql } from 'drizzle-orm';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { AppDeps } from './api/context';
import { DatasetBody } from './api/routes/admin/datasets/schemas';
import type { StewardIdentity } from './auth/identity';
import { createDataset } from './datasets/create-dataset';
import { findDataset } from './datasets/find-dataset';
import { importVersion } from './datasets/import-version';
import { seedDemoData } from './datasets/seed-demo';
import { verifyAuditChain } from './audit/index';
import { seedCapabilityData } from './capabilities/index';
import { ROLES, type Role } from './auth/identity';
import { issueToken } from './auth/issue-token';
import { loadOrCreateSigningKeys } from './auth/signing-keys';
import { ConfigError, loadConfig } from './config';
import { openDatabase, type Database } from './db/client';
import { KaifangError } from './errors';
import { recordStart } from './db/record-start';
import { createRuntime } from './runtime';
import { startServer } from './server';

const program = new Command('kaifang').description('Kaifang (开放): open government data developer platform').showHelpAfterError();

program
  .command('serve')
  .description('run the HTTP API (embedded database unless DATABASE_URL is set)')
  .action(async () => {
    const config = loadConfig();
    const deps = await createRuntime(config);
    const start = await recordStart(deps.db, deps.clock.nowMs());
    if (await shouldSeed(config.seedDemoData, deps.db, start.starts)) {
      process.stdout.write('Seeding synthetic demo datasets through the publishing pipeline...\n');
      const slugs = await seedDemoData(importContext(deps), deps.logger);
      process.stdout.write(`  published: ${slugs.join(', ')}\n`);
      const seeded = await seedCapabilityData(deps.db, config.secret, deps.clock);
      process.stdout.write(`  capabilities: ${seeded.licences} synthetic licences, ${seeded.guides} service guides\n`);
    }
    const server = await startServer(deps);
    const shownUrl = config.publicUrl ?? server.url;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        server.shutdown(signal).then(
          () => process.exit(0),
          (error: unknown) => {
            deps.logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
    // Printed only once the signal handlers exist: whoever waits for this line (an operator's
    // script, the CLI test) may send SIGTERM straight away and must get a graceful shutdown.
    process.stdout.write(`Kaifang is serving on ${shownUrl} (database: ${deps.db.kind})\n  API reference: ${shownUrl}/docs\n  OpenAPI:       ${shownUrl}/openapi.json\n`);
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const config = loadConfig();
    const db = await openDatabase(config.database.kind === 'embedded' ? { kind: 'embedded', dataDir: config.database.dataDir } : config.database);
    try {
      await db.migrate();
      process.stdout.write(`migrations applied (${db.kind})\n`);
    } finally {
      await db.close();
    }
  });

program
  .command('audit')
  .description('audit log tasks')
  .command('verify')
  .description('check the audit hash chain; exits 1 and names the first broken link if an entry was edited, removed or reordered')
  .option('--json', 'print the report as JSON')
  .action(async (options: { json?: boolean }) => {
    const config = loadConfig();
    const db = await openDatabase(config.database.kind === 'embedded' ? { kind: 'embedded', dataDir: config.database.dataDir } : config.database);
    try {
      await db.migrate();
      const report = await verifyAuditChain(db);
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else if (report.ok) process.stdout.write(`audit chain intact: ${report.entries} entries, last ${report.lastGoodSeq} (${report.lastGoodHash})\n`);
      else process.stdout.write(`audit chain BROKEN at entry ${report.broken!.seq} (${report.broken!.reason}): ${report.broken!.detail}\n  entries 1-${report.lastGoodSeq} verified; last good hash ${report.lastGoodHash}\n`);
      process.exitCode = report.ok ? 0 : 1;
    } finally {
      await db.close();
    }
  });

program
  .command('token')
  .description('print a short-lived steward token signed by the embedded issuer')
  .requiredOption('--sub <name>', 'subject: the steward user name')
  .requiredOption('--role <role...>', `one or more of ${ROLES.join(', ')}`, collectRole, [] as Role[])
  .option('--publisher <slug>', 'publisher (department) slug the steward acts for')
  .option('--ttl <seconds>', 'lifetime in seconds (default TOKEN_TTL_SECONDS)', parsePositiveInt)
  .action(async (options: { sub: string; role: Role[]; publisher?: string; ttl?: number }) => {
    const config = loadConfig();
    if (config.oidc) throw new CliError('OIDC_ISSUER is set: tokens come from your identity provider, not from `kaifang token`.');
    const keys = await loadOrCreateSigningKeys(config.dataDir);
    const token = await issueToken(keys, {
      subject: options.sub,
      roles: options.role,
      publisher: options.publisher,
      ttlSeconds: options.ttl ?? config.tokenTtlSeconds,
      nowMs: Date.now(),
    });
    process.stdout.write(`${token}\n`);
  });

program
  .command('import')
  .description('import a CSV file as a new draft version of a dataset (raw values never reach the database)')
  .argument('<file>', 'CSV file: UTF-8 (with or without BOM) or GB18030/GBK, comma or tab separated, header row first')
  .requiredOption('--dataset <slug>', 'dataset slug')
  .option('--create <metadata.json>', 'create the dataset first from this JSON metadata (slug, publisher, title, theme, licence, ...)')
  .option('--encoding <encoding>', 'auto, utf-8, gb18030 or gbk', 'auto')
  .option('--delimiter <delimiter>', 'auto, comma or tab', 'auto')
  .option('--as <name>', 'who to record as the importing steward', `cli:${userInfo().username}`)
  .action(async (file: string, options: { dataset: string; create?: string; encoding: string; delimiter: string; as: string }) => {
    if (!['auto', 'utf-8', 'gb18030', 'gbk'].includes(options.encoding)) throw new CliError('--encoding must be auto, utf-8, gb18030 or gbk');
    if (!['auto', 'comma', 'tab'].includes(options.delimiter)) throw new CliError('--delimiter must be auto, comma or tab');
    const deps = await createRuntime(loadConfig());
    // The operator at the console has the database itself; they act with admin rights, recorded under --as.
    const operator: StewardIdentity = { subject: options.as, roles: ['admin'], publisher: undefined };
    try {
      if (options.create) {
        const metadata = DatasetBody.safeParse({ ...JSON.parse(await readFile(options.create, 'utf8')), slug: options.dataset });
        if (!metadata.success) throw new CliError(`${options.create}: ${metadata.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
        await createDataset(deps.db, operator, metadata.data, deps.clock.nowMs());
      }
      const { dataset } = await findDataset(deps.db, options.dataset);
      const version = await importVersion(importContext(deps), operator, {
        datasetId: dataset.id,
        source: createReadStream(file),
        encoding: options.encoding as 'auto',
        delimiter: options.delimiter === 'comma' ? ',' : options.delimiter === 'tab' ? '\t' : 'auto',
      });
      process.stdout.write(`imported ${options.dataset} version ${version.number}: ${version.rowCount} rows (${version.sourceEncoding})\n`);
      for (const column of version.classification.columns) {
        const how = column.classification ? `${column.classification.type} → ${column.classification.action}` : 'UNCLASSIFIED: declare it';
        process.stdout.write(`  ${column.title}: ${how}\n`);
      }
    } finally {
      await deps.db.close();
    }
  });

class CliError extends Error {}

function importContext(deps: AppDeps) {
  return { db: deps.db, policy: deps.policy, secret: deps.config.secret, maxImportBytes: deps.config.maxImportBytes, clock: deps.clock };
}

// `auto` seeds only a new embedded database (first start, no datasets): a real
// deployment on Postgres never gets demo data unless asked for it.
async function shouldSeed(setting: 'auto' | 'true' | 'false', db: Database, starts: number): Promise<boolean> {
  if (setting === 'false') return false;
  if (setting === 'auto' && (db.kind !== 'pglite' || starts > 1)) return false;
  const [row] = await db.rows<{ count: number }>(sql`select count(*)::int as count from datasets`);
  return row!.count === 0;
}

function collectRole(value: string, previous: Role[]): Role[] {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return [...previous, value as Role];
}

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  // Operators get one line per problem, not a stack trace.
  if (error instanceof KaifangError) {
    // A broken policy file or a refused CLI operation: its message names what to fix.
    process.stderr.write(`kaifang: ${error.message}\n${(error.errors ?? []).map((issue) => `  ${issue.location}: ${issue.message}`).join('\n')}${error.errors?.length ? '\n' : ''}`);
  } else if (error instanceof ConfigError) {
    process.stderr.write(`kaifang: invalid configuration\n${error.problems.map((line) => `  ${line}`).join('\n')}\n`);
  } else if (error instanceof CliError) {
    process.stderr.write(`kaifang: ${error.message}\n`);
  } else {
    process.stderr.write(`kaifang: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
