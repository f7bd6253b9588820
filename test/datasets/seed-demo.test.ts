import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/datasets/seed-demo';
import { isMobile, isResidentId, scanText } from '../../src/privacy/index';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
let published: string[];

beforeAll(async () => {
  t = await createTestApp();
  const { db, policy, config, clock, logger } = t.deps;
  published = await seedDemoData({ db, policy, secret: config.secret, maxImportBytes: config.maxImportBytes, clock }, logger);
});
afterAll(async () => t.close());

describe('demo data', () => {
  it('publishes every demo dataset through the pipeline', async () => {
    expect(published).toEqual(['service-items', 'service-halls', 'service-cases', 'enterprise-registry']);
    const rows = await t.database.db.rows<{ slug: string; current_version: number; status: string; reviewed_by: string; submitted_by: string }>(
      sql`select d.slug, d.current_version, v.status, v.reviewed_by, v.submitted_by from datasets d join dataset_versions v on v.dataset_id = d.id order by d.slug`,
    );
    for (const row of rows) expect(row).toMatchObject({ current_version: 1, status: 'published', submitted_by: 'demo.steward', reviewed_by: 'demo.approver' });
  });

  it('strips the applicants of the case records: no ID number, phone or name column is published', async () => {
    const [dataset] = await t.database.db.rows<{ id: string; fields: { title: string; name: string; classification: { action: string } }[] }>(
      sql`select id, fields from datasets where slug = 'service-cases'`,
    );
    const actions = Object.fromEntries(dataset!.fields.map((field) => [field.title, field.classification.action]));
    expect(actions).toMatchObject({ 申请人: 'drop', 身份证号: 'drop', 联系电话: 'drop', 年龄: 'generalize', 受理日期: 'generalize' });
    const stored = await t.database.db.rows<Record<string, unknown>>(sql.raw(`select * from published."ds_${dataset!.id.replace(/-/g, '')}_v1"`));
    expect(stored).toHaveLength(3000);
    for (const row of stored) {
      for (const value of Object.values(row)) {
        const text = String(value);
        expect(isResidentId(text) || isMobile(text)).toBe(false);
        expect(scanText(text).filter((span) => span.type === 'resident_id' || span.type === 'mobile')).toEqual([]);
      }
    }
  });

  it('is the same every time (fixed seed)', { timeout: 120_000 }, async () => {
    const again = await createTestApp();
    try {
      const { db, policy, config, clock, logger } = again.deps;
      await seedDemoData({ db, policy, secret: config.secret, maxImportBytes: config.maxImportBytes, clock }, logger);
      const codes = async (app: TestApp) => {
        const [dataset] = await app.database.db.rows<{ id: string }>(sql`select id from datasets where slug = 'enterprise-registry'`);
        return app.database.db.rows(sql.raw(`select * from published."ds_${dataset!.id.replace(/-/g, '')}_v1" order by _kf_row limit 5`));
      };
      expect(await codes(again)).toEqual(await codes(t));
    } finally {
      await again.close();
    }
  });
});
