// The `kaifang` command: one entry for serving and for the operator tasks around it.
import { Command, InvalidArgumentError } from 'commander';
import { ROLES, type Role } from './auth/identity';
import { issueToken } from './auth/issue-token';
import { loadOrCreateSigningKeys } from './auth/signing-keys';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/client';
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
    await recordStart(deps.db, deps.clock.nowMs());
    const server = await startServer(deps);
    const shownUrl = config.publicUrl ?? server.url;
    process.stdout.write(`Kaifang is serving on ${shownUrl} (database: ${deps.db.kind})\n  API reference: ${shownUrl}/docs\n  OpenAPI:       ${shownUrl}/openapi.json\n`);
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

class CliError extends Error {}

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
