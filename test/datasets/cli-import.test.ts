import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { runKaifang, startKaifang } from '../helpers/process';

describe('kaifang import', { timeout: 120_000 }, () => {
  it('creates a dataset from a metadata file and imports a GB18030 CSV into a draft', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaifang-import-'));
    const dataDir = join(dir, 'data');
    // The publisher must exist: the demo seed on first start registers it.
    const server = await startKaifang({ KAIFANG_DATA_DIR: dataDir, SEED_DEMO_DATA: 'true' });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify({ publisher: 'hefei-gov-services', title: '便民服务热线', theme: '政务服务', licence: 'CC-BY-4.0', updateFrequency: 'yearly', contact: '合肥市数据资源局', openTier: 'unconditional', dataGrade: 'general' }),
    );
    writeFileSync(join(dir, 'hotlines.csv'), iconv.encode('服务名称\t联系人\t手机\n社保咨询\t张伟\t13800138000\n公积金咨询\t李娜\t13912345678\n', 'gb18030'));
    const run = runKaifang(['import', join(dir, 'hotlines.csv'), '--dataset', 'hotlines', '--create', join(dir, 'meta.json'), '--as', 'li.na'], { KAIFANG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('imported hotlines version 1: 2 rows (gb18030)');
    expect(run.stdout()).toContain('手机: mobile → drop');
    expect(run.stdout()).not.toContain('13800138000');

    const pg = await PGlite.create(join(dataDir, 'pgdata'));
    const { rows } = await pg.query<{ status: string; created_by: string }>("select v.status, v.created_by from dataset_versions v join datasets d on d.id = v.dataset_id where d.slug = 'hotlines'");
    await pg.close();
    expect(rows).toEqual([{ status: 'draft', created_by: 'li.na' }]);
  });

  it('refuses a bad file with the line and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaifang-import-'));
    writeFileSync(join(dir, 'bad.csv'), '区,事项\n蜀山区,"未结束\n');
    const server = await startKaifang({ KAIFANG_DATA_DIR: dir, SEED_DEMO_DATA: 'true' });
    server.child.kill('SIGTERM');
    await server.exited;
    const run = runKaifang(['import', join(dir, 'bad.csv'), '--dataset', 'service-items'], { KAIFANG_DATA_DIR: dir, LOG_LEVEL: 'warn' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/kaifang: .*\n  (line \d|header )/);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });
});
