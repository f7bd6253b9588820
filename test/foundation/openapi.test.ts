import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let document: any;

beforeAll(async () => {
  t = await createTestApp();
  document = await (await t.app.request('/openapi.json')).json();
});
afterAll(async () => t.close());

type Json = Record<string, unknown>;

/** Every property of every object schema, with the JSON path that leads to it. */
function* properties(node: unknown, path: string): Generator<[string, Json]> {
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.properties && typeof schema.properties === 'object') {
    for (const [name, property] of Object.entries(schema.properties as Json)) {
      yield [`${path}.${name}`, property as Json];
      yield* properties(property, `${path}.${name}`);
    }
  }
  for (const key of ['items', 'additionalProperties']) yield* properties(schema[key], `${path}.${key}`);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(schema[key])) for (const [index, branch] of (schema[key] as unknown[]).entries()) yield* properties(branch, `${path}.${key}[${index}]`);
  }
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and matches the reviewed contract', async () => {
    expect(document.openapi).toBe('3.1.0');
    // A contract change shows up in review as a change to this file (update with `npx vitest run -u`).
    await expect(JSON.stringify(document, null, 2) + '\n').toMatchFileSnapshot('../__snapshots__/openapi.json');
  });

  it('describes every operation and says who may call it', () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(5);
    const ids = new Set<string>();
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(operation.operationId, where).toEqual(expect.any(String));
      expect(ids.has(operation.operationId as string), `${where} duplicate operationId`).toBe(false);
      ids.add(operation.operationId as string);
      expect(operation.summary, where).toEqual(expect.any(String));
      expect(operation.description, where).toMatch(/^(Public|API key|Stewards|Approvers|Auditors|Admins|Developers)/);
      expect(Object.keys(operation.responses as Json).length, where).toBeGreaterThan(0);
    }
  });

  it('describes every field', () => {
    const undocumented: string[] = [];
    const visit = (schema: unknown, path: string) => {
      for (const [where, property] of properties(schema, path)) {
        if (!property.description && !property.$ref) undocumented.push(where);
      }
    };
    for (const [name, schema] of Object.entries(document.components.schemas as Json)) visit(schema, name);
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const parameter of (operation.parameters as Json[] | undefined) ?? []) {
          if (!parameter.description) undocumented.push(`${method} ${path} parameter ${parameter.name}`);
        }
        for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
          for (const [type, media] of Object.entries((response.content as Record<string, Json>) ?? {})) visit(media.schema, `${method} ${path} ${status} ${type}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('documents errors with the codes of the one error table', () => {
    const problem = document.components.schemas.Problem;
    expect(problem.properties.code.enum.sort()).toEqual(Object.keys(ERRORS).sort());
    const readyz = document.paths['/readyz'].get.responses;
    expect(readyz['503'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
    expect(readyz['503'].description).toContain('database_unavailable');
  });
});

describe('/docs', () => {
  it('renders with Redoc from a local bundle and nothing from another origin', async () => {
    const page = await t.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/docs/redoc.standalone.js"></script>');
    expect(html).toContain('spec-url="/openapi.json"');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    const bundle = await t.app.request('/docs/redoc.standalone.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    const source = await bundle.text();
    expect(source.length).toBeGreaterThan(500_000);
    expect(source).toContain('Redoc');
  });
});
