// The SDK as a developer gets it: built, packed with `npm pack`, installed from the tarball
// into a copy of sdk/examples, type-checked, and run against a real server.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkServer, type SdkServer } from './server';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sdkDir = join(root, 'sdk');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let work: string;
let tarball: string;

/** The child's environment without the npm_* variables of an enclosing `npm test`. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));

/** Runs a command without blocking the event loop: the server under test lives in this process. */
function run(command: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { cwd, env: { ...cleanEnv(), ...env }, encoding: 'utf8', timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed (${error.code}):\n${stdout}\n${stderr}`));
      else resolvePromise({ stdout, stderr });
    });
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kaifang-sdk-pack-'));
  // A clean build, so no file of an older build is packed.
  rmSync(join(sdkDir, 'dist'), { recursive: true, force: true });
  const packed = await run('npm', ['pack', '--workspace', 'sdk', '--pack-destination', work, '--json'], root);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info!.filename);
  writeFileSync(join(work, 'files.json'), JSON.stringify(info!.files.map((file) => file.path)));
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed SDK', () => {
  it('holds the built ESM entries with their declarations, and no sources or tests', () => {
    expect(existsSync(tarball)).toBe(true);
    const files = JSON.parse(readFileSync(join(work, 'files.json'), 'utf8')) as string[];
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/node.d.ts', 'dist/generated/openapi.d.ts']));
    expect(files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md'].includes(file))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@kaifang/sdk', type: 'module' });
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it('keeps the browser entry free of Node modules', () => {
    // Every module reachable from dist/index.js imports only relative files: no node:*, no packages.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\.?\//);
        visit(resolve(dirname(file), specifier!));
      }
      expect(source, file).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b/);
    };
    visit(join(sdkDir, 'dist', 'index.js'));
    expect(seen.size).toBeGreaterThan(3);
    expect([...seen].some((file) => file.endsWith('node.js'))).toBe(false);
  });

  describe('installed into the example project', () => {
    let example: string;
    let server: SdkServer;

    beforeAll(async () => {
      example = join(work, 'example');
      cpSync(join(sdkDir, 'examples'), example, { recursive: true, filter: (source) => !/node_modules|\.tgz$|package-lock\.json$|\.csv$/.test(source) });
      // The example's own devDependencies (TypeScript, tsx, @types/node) are this
      // repository's: left out of the install, so it needs nothing but the tarball.
      const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8'));
      delete manifest.devDependencies;
      writeFileSync(join(example, 'package.json'), JSON.stringify(manifest, null, 2));
      await run('npm', ['install', '--no-audit', '--no-fund', tarball], example);
      server = await startSdkServer({}, { seed: true });
    }, 240_000);
    afterAll(async () => server?.close());

    it('type-checks against the packed declarations', async () => {
      expect(existsSync(join(example, 'node_modules', '@kaifang', 'sdk', 'dist', 'index.d.ts'))).toBe(true);
      await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--typeRoots', join(root, 'node_modules', '@types')], example);
    });

    it('fails to type-check a misuse, so the check above means something', () => {
      writeFileSync(join(example, 'misuse.ts'), "import { Kaifang } from '@kaifang/sdk';\nnew Kaifang({ baseUrl: 'x' }).datasets.list({ openTier: 'sometimes' });\n");
      const result = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), 'misuse.ts'], { cwd: example, encoding: 'utf8' });
      expect(result.status).not.toBe(0);
      expect(result.stdout).toContain('sometimes');
      rmSync(join(example, 'misuse.ts'));
    });

    it('runs against a real server', async () => {
      await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', 'out', '--typeRoots', join(root, 'node_modules', '@types')], example);
      const result = await run(process.execPath, [join('out', 'index.js')], example, { KAIFANG_URL: server.baseUrl, KAIFANG_API_KEY: '' });
      expect(result.stdout).toContain('signed up; keep this key');
      expect(result.stdout).toMatch(/\d+ service halls in 蜀山区 and 包河区/);
      expect(result.stdout).toContain('wrote service-halls.csv');
      expect(result.stdout).toContain('40 NDJSON lines');
      expect(result.stdout).toContain('not found, as expected');
    }, 60_000);
  });
});
