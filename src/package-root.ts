// Files shipped beside the code (policies, migrations) are found from the package root, so
// the same paths work when this module runs from its TypeScript source under tsx and when
// it runs bundled into dist/kaifang.mjs (`npm start`), where import.meta.url differs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'policies'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no Kaifang package root above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the installed package, e.g. `packagePath('policies', 'default.yaml')`. */
export const packagePath = (...segments: string[]) => join(PACKAGE_ROOT, ...segments);
