// Conditional-access fixtures: a conditional dataset with pseudonymized resident IDs,
// and developer accounts verified as organisations, all driven through the HTTP API.
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app';
import { call, datasetInput, importCsv, type Stewards } from '../helpers/admin';
import { createRng, syntheticCreditCode, syntheticResidentId } from '../../src/privacy/synthetic';
import { keyed, signUp, type SignedUp } from '../keys/helpers';

export const AGREEMENT = 'dua-2026-03';

/** 30 case rows over 10 synthetic people, each person appearing three times. */
export function caseCsv(seed = 7): { csv: string; residentIds: string[] } {
  const rng = createRng(seed);
  const people = Array.from({ length: 10 }, () => syntheticResidentId(rng, { birthYears: [1960, 2000] }));
  const lines = ['办件编号,身份证号,所在区,办理天数'];
  for (let index = 0; index < 30; index++) lines.push(`HF${String(index + 1).padStart(5, '0')},${people[index % 10]},${['蜀山区', '包河区', '庐阳区'][index % 3]},${1 + (index % 7)}`);
  return { csv: `${lines.join('\n')}\n`, residentIds: people };
}

/** Creates, imports, submits and approves a conditional dataset; returns field names by title. */
export async function publishConditional(t: TestApp, tokens: Stewards, slug: string, csv: string): Promise<Record<string, string>> {
  const created = await call(t, tokens.steward, 'POST', '/v1/admin/datasets', datasetInput(slug, { openTier: 'conditional', declarations: { 身份证号: { type: 'resident_id', action: 'pseudonymize' } } }));
  expect(created.status, await created.clone().text()).toBe(201);
  const imported = await importCsv(t, tokens.steward, slug, csv);
  expect(imported.status, await imported.clone().text()).toBe(201);
  expect((await call(t, tokens.steward, 'POST', `/v1/admin/datasets/${slug}/versions/1/submit`)).status).toBe(200);
  const approved = await call(t, tokens.approver, 'POST', `/v1/admin/datasets/${slug}/versions/1/approve`);
  expect(approved.status, await approved.clone().text()).toBe(200);
  const detail = await (await t.app.request(`/v1/datasets/${slug}`)).json();
  return Object.fromEntries((detail.fields as { name: string; title: string }[]).map((field) => [field.title, field.name]));
}

let codes = 0;
/** Signs up and gets verified as an organisation by the admin. */
export async function verifiedDeveloper(t: TestApp, admin: string, email?: string): Promise<SignedUp> {
  const dev = await signUp(t, email ? { email } : {});
  const creditCode = syntheticCreditCode(createRng(1000 + ++codes));
  const asked = await keyed(t, dev.key, '/v1/organization-verification', { method: 'POST', body: { organization: '合肥公交出行科技有限公司', creditCode } });
  expect(asked.status, await asked.clone().text()).toBe(201);
  const verified = await call(t, admin, 'POST', `/v1/admin/verifications/${(await asked.json()).id}/verify`);
  expect(verified.status).toBe(200);
  return dev;
}

export async function apply(t: TestApp, key: string, body: Record<string, unknown>) {
  return keyed(t, key, '/v1/applications', { method: 'POST', body: { purpose: '办件时效研究：按区统计办理天数', acceptedAgreementVersion: AGREEMENT, ...body } });
}
