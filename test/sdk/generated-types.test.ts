import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_OPENAPI_FILE, SDK_TYPES_FILE, generateSdkFiles } from '../../scripts/generate-sdk-types';

// The SDK's types must be the API's types: any route change needs `npm run sdk:generate`.
describe('the committed SDK types', () => {
  it('match a fresh generation from the app (run `npm run sdk:generate` when this fails)', async () => {
    const fresh = await generateSdkFiles();
    expect(readFileSync(SDK_OPENAPI_FILE, 'utf8'), 'sdk/openapi.json is stale').toBe(fresh.openapi);
    expect(readFileSync(SDK_TYPES_FILE, 'utf8'), 'sdk/src/generated/openapi.ts is stale').toBe(fresh.types);
  });

  it('cover every public /v1 operation', () => {
    const document = JSON.parse(readFileSync(SDK_OPENAPI_FILE, 'utf8')) as { paths: Record<string, Record<string, { operationId: string }>> };
    const publicOperations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/') && !path.startsWith('/v1/admin'))
      .flatMap(([, item]) => Object.values(item).map((operation) => operation.operationId));
    const types = readFileSync(SDK_TYPES_FILE, 'utf8');
    for (const id of publicOperations) expect(types, id).toContain(`    ${id}: {`);
  });
});
