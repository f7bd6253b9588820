import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { KaifangError } from '../../src/errors';
import { loadPolicy, loadPolicyFile, type Policy, PRIVACY_TYPES, resolveAction } from '../../src/privacy/index';

const POLICY_PATH = fileURLToPath(new URL('../../policies/default.yaml', import.meta.url));
const DEFAULT_YAML = readFileSync(POLICY_PATH, 'utf8');

function edited(edit: (document: Record<string, any>) => void): string {
  const document = parse(DEFAULT_YAML) as Record<string, any>;
  edit(document);
  return stringify(document);
}

function loadError(yamlText: string): KaifangError {
  try {
    loadPolicy(yamlText);
  } catch (error) {
    expect(error).toBeInstanceOf(KaifangError);
    return error as KaifangError;
  }
  throw new Error('policy loaded');
}

describe('loading the default policy', () => {
  it('loads, covers every type, and has k and minCellSize of 5', async () => {
    const policy = await loadPolicyFile(POLICY_PATH);
    expect(Object.keys(policy.types).sort()).toEqual([...PRIVACY_TYPES].sort());
    expect(policy.k).toBe(5);
    expect(policy.minCellSize).toBe(5);
  });

  it('defaults k and minCellSize when omitted', () => {
    const policy = loadPolicy(
      edited((document) => {
        delete document.k;
        delete document.minCellSize;
      }),
    );
    expect(policy.k).toBe(5);
    expect(policy.minCellSize).toBe(5);
  });
});

describe('a broken policy names the path of the bad key', () => {
  it.each<[string, (document: Record<string, any>) => void, string]>([
    ['a missing type', (d) => delete d.types.landline, 'types.landline'],
    ['an unknown action', (d) => (d.types.resident_id.unconditional.default = 'hide'), 'types.resident_id.unconditional.default'],
    ['a default outside allowed', (d) => (d.types.age.conditional.default = 'pseudonymize'), 'types.age.conditional.default'],
    ['an unknown key', (d) => (d.types.mobile.conditional.colour = 'red'), 'types.mobile.conditional.colour'],
    ['an unknown type', (d) => (d.types.shoe_size = d.types.plain), 'types.shoe_size'],
    ['an allowed list without drop', (d) => (d.types.plain.conditional.allowed = ['keep']), 'types.plain.conditional.allowed'],
    ['a secret that may be kept', (d) => d.roles.commercial_secret.unconditional.push('keep'), 'roles.commercial_secret.unconditional'],
    ['a direct identifier that may be masked', (d) => d.roles.direct_identifier.conditional.push('mask'), 'roles.direct_identifier.conditional'],
    ['pseudonyms of direct identifiers in unconditional data', (d) => d.roles.direct_identifier.unconditional.push('pseudonymize'), 'roles.direct_identifier.unconditional'],
    ['a mobile that may be kept', (d) => d.types.mobile.unconditional.allowed.push('keep'), 'types.mobile.unconditional.allowed'],
    ['a resident ID that may be masked', (d) => d.types.resident_id.conditional.allowed.push('mask'), 'types.resident_id.conditional.allowed'],
    ['k below 2', (d) => (d.k = 1), 'k'],
    ['an unsupported version', (d) => (d.version = 2), 'version'],
  ])('%s', (_, edit, path) => {
    const error = loadError(edited(edit));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain(`${path}:`);
    expect(error.errors?.map((issue) => issue.location)).toContain(path);
  });

  it('reports YAML syntax errors', () => {
    expect(loadError('types: [unclosed').message).toMatch(/not valid YAML/);
  });

  it('names the file that failed to load', async () => {
    await expect(loadPolicyFile('/nonexistent/policy.yaml')).rejects.toThrow(/\/nonexistent\/policy\.yaml/);
  });
});

describe('resolveAction', () => {
  const policy: Policy = loadPolicy(DEFAULT_YAML);

  it('returns the policy default for the type and tier', () => {
    expect(resolveAction(policy, { type: 'resident_id', tier: 'unconditional' })).toBe('drop');
    expect(resolveAction(policy, { type: 'resident_id', tier: 'conditional' })).toBe('pseudonymize');
    expect(resolveAction(policy, { type: 'credit_code', tier: 'unconditional' })).toBe('keep');
    expect(resolveAction(policy, { type: 'address', tier: 'unconditional' })).toBe('generalize');
    expect(resolveAction(policy, { type: 'free_text', tier: 'unconditional' })).toBe('mask');
  });

  it('lets the declared role tighten the default', () => {
    expect(resolveAction(policy, { type: 'plain', role: 'commercial_secret', tier: 'unconditional' })).toBe('drop');
    expect(resolveAction(policy, { type: 'credit_code', role: 'direct_identifier', tier: 'unconditional' })).toBe('drop');
    expect(resolveAction(policy, { type: 'plain', role: 'sensitive', tier: 'conditional' })).toBe('drop');
  });

  it('grants an allowed request', () => {
    expect(resolveAction(policy, { type: 'resident_id', tier: 'conditional', requested: 'drop' })).toBe('drop');
    expect(resolveAction(policy, { type: 'person_name', role: 'public', tier: 'unconditional', requested: 'keep' })).toBe('keep');
    expect(resolveAction(policy, { type: 'birth_date', tier: 'unconditional', requested: 'suppress' })).toBe('suppress');
  });

  it.each([
    [{ type: 'resident_id', tier: 'unconditional', requested: 'keep' }, 'a steward cannot keep resident_id in an unconditional dataset'],
    [{ type: 'resident_id', tier: 'unconditional', requested: 'mask' }, 'a steward cannot mask resident_id in an unconditional dataset'],
    [{ type: 'mobile', tier: 'unconditional', requested: 'pseudonymize' }, 'allows only drop, suppress'],
    [{ type: 'person_name', tier: 'unconditional', requested: 'keep' }, 'role direct_identifier allows only drop, suppress'],
    [{ type: 'plain', role: 'state_secret', tier: 'conditional', requested: 'keep' }, 'role state_secret allows only drop'],
    [{ type: 'credit_code', tier: 'unconditional', requested: 'mask' }, 'a steward cannot mask credit_code in an unconditional dataset'],
  ] as const)('refuses %o', (request, message) => {
    try {
      resolveAction(policy, request);
      throw new Error('allowed');
    } catch (error) {
      expect(error).toBeInstanceOf(KaifangError);
      expect((error as KaifangError).code).toBe('unprocessable');
      expect((error as KaifangError).status).toBe(422);
      expect((error as KaifangError).message).toContain(message);
    }
  });
});
