import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/datasets/seed-demo';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const { db, policy, config, clock, logger } = t.deps;
  await seedDemoData({ db, policy, secret: config.secret, maxImportBytes: config.maxImportBytes, clock }, logger);
});
afterAll(async () => t.close());

const get = async (path: string) => {
  const response = await t.app.request(path);
  return { status: response.status, body: await response.json(), headers: response.headers };
};

describe('the public catalog', () => {
  it('lists published open datasets without a key', async () => {
    const { status, body } = await get('/v1/datasets');
    expect(status).toBe(200);
    expect(body.data.map((dataset: { slug: string }) => dataset.slug)).toEqual(['enterprise-registry', 'service-cases', 'service-halls', 'service-items']);
    expect(body.next).toBeNull();
    expect(body.data[2]).toMatchObject({ title: '社保卡办理网点', openTier: 'unconditional', currentVersion: 1, rowCount: 40, publisher: { slug: 'hefei-gov-services' } });
  });

  it('finds Chinese text: 社保 finds 社保卡办理网点', async () => {
    const { body } = await get(`/v1/datasets?q=${encodeURIComponent('社保')}`);
    expect(body.data.map((dataset: { title: string }) => dataset.title)).toEqual(['社保卡办理网点']);
  });

  it('filters by theme, publisher, tag and open tier', async () => {
    expect((await get(`/v1/datasets?theme=${encodeURIComponent('市场监管')}`)).body.data.map((d: { slug: string }) => d.slug)).toEqual(['enterprise-registry']);
    expect((await get('/v1/datasets?publisher=hefei-market')).body.data).toHaveLength(1);
    expect((await get(`/v1/datasets?tag=${encodeURIComponent('网点')}`)).body.data.map((d: { slug: string }) => d.slug)).toEqual(['service-halls']);
    expect((await get('/v1/datasets?openTier=conditional')).body.data).toEqual([]);
  });

  it('pages by cursor and refuses a forged one', async () => {
    const first = await get('/v1/datasets?limit=3');
    expect(first.body.data).toHaveLength(3);
    const second = await get(`/v1/datasets?limit=3&cursor=${first.body.next}`);
    expect(second.body.data.map((d: { slug: string }) => d.slug)).toEqual(['service-items']);
    expect(second.body.next).toBeNull();
    const forged = await get('/v1/datasets?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].location).toBe('query.cursor');
    expect((await get('/v1/datasets?limit=1000')).status).toBe(400);
  });

  it('shows a dataset with its schema, never the fields the policy dropped', async () => {
    const { status, body } = await get('/v1/datasets/service-cases');
    expect(status).toBe(200);
    const titles = body.fields.map((field: { title: string }) => field.title);
    expect(titles).not.toContain('身份证号');
    expect(titles).not.toContain('联系电话');
    expect(titles).not.toContain('申请人');
    expect(body.fields.find((field: { title: string }) => field.title === '年龄')).toMatchObject({ transform: 'generalize' });
    expect(body.versions).toEqual([{ number: 1, rowCount: 3000, publishedAt: expect.any(String) }]);
    expect(JSON.stringify(body)).not.toContain('classification');
    expect((await get(`/v1/datasets/${body.id}`)).body.slug).toBe('service-cases');
  });

  it('answers 404 for unknown, not-open and withdrawn datasets', async () => {
    expect((await get('/v1/datasets/no-such-thing')).status).toBe(404);
    const approver = await t.token({ sub: 'demo.approver', roles: ['approver'], publisher: 'hefei-market' });
    const withdrawn = await t.app.request('/v1/admin/datasets/enterprise-registry/versions/1/withdraw', {
      method: 'POST',
      headers: { authorization: `Bearer ${approver}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '演示：撤回' }),
    });
    expect(withdrawn.status).toBe(200);
    expect((await get('/v1/datasets/enterprise-registry')).status).toBe(404);
    expect((await get('/v1/datasets')).body.data.map((d: { slug: string }) => d.slug)).not.toContain('enterprise-registry');
    expect((await get('/v1/datasets/enterprise-registry/datapackage.json')).status).toBe(404);
    const catalog = await (await t.app.request('/v1/catalog.jsonld')).json();
    expect(catalog['dcat:dataset'].map((d: { 'dct:identifier': string }) => d['dct:identifier'])).not.toContain('enterprise-registry');
  });

  it('publishes a DCAT v3 catalog in JSON-LD', async () => {
    const response = await t.app.request('/v1/catalog.jsonld');
    expect(response.headers.get('content-type')).toContain('application/ld+json');
    const catalog = await response.json();
    expect(catalog['@type']).toBe('dcat:Catalog');
    expect(catalog['@context'].dcat).toBe('http://www.w3.org/ns/dcat#');
    const halls = catalog['dcat:dataset'].find((d: { 'dct:identifier': string }) => d['dct:identifier'] === 'service-halls');
    expect(halls).toMatchObject({ '@type': 'dcat:Dataset', 'dct:license': 'CC-BY-4.0', 'dcat:keyword': ['社保卡', '网点', '便民服务'] });
    expect(halls['dcat:distribution'][1]['dcat:mediaType']).toBe('text/csv');
  });

  it('describes a dataset as a Frictionless Data Package', async () => {
    const { body } = await get('/v1/datasets/service-halls/datapackage.json');
    expect(body).toMatchObject({ profile: 'tabular-data-package', name: 'service-halls', licenses: [{ name: 'CC-BY-4.0' }] });
    const fields = body.resources[0].schema.fields;
    expect(fields.map((field: { title: string }) => field.title)).toEqual(['网点名称', '所在区', '地址', '服务电话', '经度', '纬度', '开放时间']);
    expect(fields.find((field: { title: string }) => field.title === '经度').type).toBe('number');
  });
});
