// Starts the real `kaifang` command as a child process, for tests of what an operator
// sees: start-up output, signals, restarts.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/kaifang.js', import.meta.url));
/** What `npm start` runs: the bundle scripts/build.mjs writes. */
export const BUNDLE = fileURLToPath(new URL('../../dist/kaifang.mjs', import.meta.url));

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export function runKaifang(args: string[], env: Record<string, string>, entry = BIN) {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Starts `kaifang serve` and waits until it prints the URL it serves on. */
export async function startKaifang(env: Record<string, string>, timeoutMs = 60_000, entry = BIN): Promise<ServerProcess> {
  const run = runKaifang(['serve'], { PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'false', ...env }, entry);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /serving on (http:\/\/\S+)/.exec(run.stdout());
    if (match?.[1]) return { ...run, url: match[1] };
    const early = await Promise.race([run.exited.then((code) => ({ code })), new Promise((resolve) => setTimeout(resolve, 100))]);
    if (early && typeof early === 'object' && 'code' in early) throw new Error(`kaifang exited with ${early.code}: ${run.stderr()}`);
  }
  run.child.kill('SIGKILL');
  throw new Error(`kaifang did not start within ${timeoutMs} ms: ${run.stderr()}`);
}
