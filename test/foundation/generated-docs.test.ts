import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configurationMarkdown, errorsMarkdown } from '../../scripts/generated-docs';

const committed = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('generated documentation', () => {
  it('docs/errors.md is the error table as it is now (run `npm run docs:generate`)', () => {
    expect(committed('docs/errors.md')).toBe(errorsMarkdown());
  });

  it('docs/configuration-reference.md is the config schema as it is now (run `npm run docs:generate`)', () => {
    expect(committed('docs/configuration-reference.md')).toBe(configurationMarkdown());
  });
});
