// Helpers for tests that drive the steward pipeline through HTTP, as a steward would.
import type { TestApp } from './app';

export interface Stewards {
  admin: string;
  steward: string;
  otherSteward: string;
  approver: string;
  foreignSteward: string;
  foreignApprover: string;
  auditor: string;
}

export const PUBLISHER = 'hefei-data-bureau';
export const OTHER_PUBLISHER = 'hefei-market-bureau';

/** Registers two publishers and returns tokens for the people who act on them. */
export async function setUpStewards(t: TestApp): Promise<Stewards> {
  const tokens: Stewards = {
    admin: await t.token({ sub: 'admin.zhou', roles: ['admin'] }),
    steward: await t.token({ sub: 'li.na', roles: ['steward'], publisher: PUBLISHER }),
    otherSteward: await t.token({ sub: 'sun.yu', roles: ['steward'], publisher: PUBLISHER }),
    approver: await t.token({ sub: 'wang.fang', roles: ['approver'], publisher: PUBLISHER }),
    foreignSteward: await t.token({ sub: 'zhao.lei', roles: ['steward'], publisher: OTHER_PUBLISHER }),
    foreignApprover: await t.token({ sub: 'qian.min', roles: ['approver'], publisher: OTHER_PUBLISHER }),
    auditor: await t.token({ sub: 'audit.he', roles: ['auditor'] }),
  };
  for (const [slug, name] of [
    [PUBLISHER, '合肥市数据资源局'],
    [OTHER_PUBLISHER, '合肥市市场监督管理局'],
  ]) {
    const response = await call(t, tokens.admin, 'POST', '/v1/admin/publishers', { slug, name });
    if (response.status !== 201) throw new Error(`publisher setup failed: ${response.status} ${await response.text()}`);
  }
  return tokens;
}

export function call(t: TestApp, token: string, method: string, path: string, body?: unknown) {
  return t.app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function importCsv(t: TestApp, token: string, dataset: string, csv: string | Uint8Array<ArrayBuffer>, query = '') {
  return t.app.request(`/v1/admin/datasets/${dataset}/versions${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
}

export function datasetInput(slug: string, overrides: Record<string, unknown> = {}) {
  return {
    slug,
    publisher: PUBLISHER,
    title: '政务服务办件记录',
    description: '合成数据：办件记录',
    theme: '政务服务',
    keywords: ['办件'],
    licence: 'CC-BY-4.0',
    updateFrequency: 'monthly',
    contact: 'opendata@hefei.gov.example',
    openTier: 'unconditional',
    dataGrade: 'general',
    ...overrides,
  };
}
