// Service capabilities and conditional access through the SDK, against a real server
// with the synthetic capability data seeded.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { demoLicences, seedCapabilityData } from '../../src/capabilities/index';
import { createRng, syntheticCreditCode } from '../../src/privacy/synthetic';
import { Kaifang, KaifangError, type CapabilityId } from '../../sdk/src/index';
import { startSdkServer, type SdkServer } from './server';

let server: SdkServer;
let client: Kaifang;

beforeAll(async () => {
  server = await startSdkServer();
  const { db, config, clock } = server.t.deps;
  await seedCapabilityData(db, config.secret, clock);
  const { key } = await new Kaifang({ baseUrl: server.baseUrl }).accounts.signUp({ name: 'Chen Jing', email: 'chen.jing@example.com' });
  client = new Kaifang({ baseUrl: server.baseUrl, apiKey: key.key });
});
afterAll(async () => server?.close());

async function rejection(promise: Promise<unknown>): Promise<KaifangError> {
  const error = await promise.then(
    () => expect.unreachable('the call should have failed'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(KaifangError);
  return error as KaifangError;
}

describe('capabilities', () => {
  it('lists every capability, and the SDK knows each id from the document', async () => {
    const { data } = await new Kaifang({ baseUrl: server.baseUrl }).capabilities.list();
    const ids = data.map((capability) => capability.id);
    expect(ids).toEqual(expect.arrayContaining(['licence-verification', 'service-guide']));
    expectTypeOf<'service-guide'>().toExtend<CapabilityId>();
    expectTypeOf<'no-such-capability'>().not.toExtend<CapabilityId>();
  });

  it('invokes a capability with typed input and output', async () => {
    const guide = await client.capabilities.invoke('service-guide', { code: '340100-001000-001' });
    expect(guide).toMatchObject({ code: '340100-001000-001', department: expect.any(String) });
    const licence = demoLicences()[0]!;
    const verdict = await client.capabilities.invoke('licence-verification', { type: licence.type, number: licence.number, holderName: licence.holderName });
    expectTypeOf(verdict.status).toEqualTypeOf<'valid' | 'expired' | 'revoked' | 'no_match'>();
    expect(['valid', 'expired', 'revoked']).toContain(verdict.status);
    const mismatch = await client.capabilities.invoke('licence-verification', { type: licence.type, number: licence.number, holderName: '某某某' });
    expect(mismatch.status).toBe('no_match');
  });

  it('maps an unknown code to a 404 problem', async () => {
    const error = await rejection(client.capabilities.invoke('service-guide', { code: '340100-999999-001' }));
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('conditional access', () => {
  it('reads the agreement, asks for verification and lists applications', async () => {
    const agreement = await client.applications.agreement();
    expect(agreement.version).toEqual(expect.any(String));
    expect((await client.applications.list()).data).toEqual([]);
    const creditCode = syntheticCreditCode(createRng(7));
    const requested = await client.applications.requestVerification({ organization: 'Hefei Transit Apps Ltd.', creditCode });
    expect(requested).toMatchObject({ organization: 'Hefei Transit Apps Ltd.', creditCode, status: 'pending' });
    expect(await client.applications.verification()).toMatchObject({ id: requested.id, status: 'pending' });
  });

  it('maps a refused application to a problem', async () => {
    const { version } = await client.applications.agreement();
    const error = await rejection(
      client.applications.create({ dataset: 'no-such-dataset', purpose: 'Transit planning research', fields: ['c1'], endsAt: new Date(server.t.clock.nowMs() + 30 * 86_400_000).toISOString(), acceptedAgreementVersion: version }),
    );
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });
});
