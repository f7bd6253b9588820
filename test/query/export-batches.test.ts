// The export stream across batch and chunk boundaries: with small batches and chunks,
// every format still carries every row exactly once, in row order, with the right
// separators, and reports what it sent.
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client';
import { exportStream, type ExportFormat } from '../../src/datasets/export/stream-export';
import { compileWhere, parseRecordsQuery } from '../../src/datasets/query';
import { createFixture, FIELDS, STORED_FIELDS, type Fixture } from './fixture';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture(300);
});
afterAll(async () => {
  await fixture?.test.dispose();
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    chunks++;
  }
  return { text, chunks };
}

async function exported(format: ExportFormat, filter: Record<string, string>, everyRow = false) {
  let totals: { rows: number; bytes: number; completed: boolean } | undefined;
  const query = parseRecordsQuery(filter, FIELDS);
  const stream = exportStream({
    db: fixture.db,
    table: fixture.table.qualifiedName,
    fields: STORED_FIELDS,
    where: compileWhere(query, FIELDS),
    everyRow,
    format,
    bom: false,
    batchRows: 7,
    chunkRows: 3,
    onDone: (sent) => (totals = sent),
  });
  return { ...(await readAll(stream)), totals: totals! };
}

describe('export across batches and chunks', () => {
  for (const filter of [{}, { c3_district: 'eq.蜀山区' }] as Record<string, string>[]) {
    const label = Object.keys(filter).length ? 'filtered' : 'every row';
    const expectedIds = () =>
      fixture.rows.filter((row) => !('c3_district' in filter) || row.c3_district === '蜀山区').map((row) => row.c1_id);

    it(`csv, ${label}`, async () => {
      const { text, chunks, totals } = await exported('csv', filter);
      const records = parse(text, { columns: true }) as Record<string, string>[];
      expect(records.map((record) => Number(record.c1_id))).toEqual(expectedIds());
      expect(records.map((record) => record.c2_name)).toEqual(
        fixture.rows.filter((row) => expectedIds().includes(row.c1_id)).map((row) => row.c2_name ?? ''),
      );
      expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
      expect(chunks).toBeGreaterThan(expectedIds().length / 3);
      expect(totals).toEqual({ rows: expectedIds().length, bytes: Buffer.byteLength(text), completed: true });
    });

    it(`ndjson, ${label}`, async () => {
      const { text, totals } = await exported('ndjson', filter);
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((line) => (JSON.parse(line) as { c1_id: number }).c1_id)).toEqual(expectedIds());
      expect(totals.rows).toBe(expectedIds().length);
    });

    it(`json, ${label}`, async () => {
      const { text, totals } = await exported('json', filter);
      const rows = JSON.parse(text) as { c1_id: number; c2_name: string | null }[];
      expect(rows.map((row) => row.c1_id)).toEqual(expectedIds());
      expect(rows.map((row) => row.c2_name)).toEqual(fixture.rows.filter((row) => expectedIds().includes(row.c1_id)).map((row) => row.c2_name));
      expect(totals.rows).toBe(expectedIds().length);
    });
  }

  it('CSV of every row is the same bytes whether Postgres writes it with COPY or line by line', async () => {
    // On Postgres everyRow takes the COPY path; on PGlite both take the line path.
    const lines = await exported('csv', {});
    const copied = await exported('csv', {}, true);
    expect(copied.text).toBe(lines.text);
    expect(copied.totals).toEqual(lines.totals);
  });

  it('the COPY path quotes and writes values as the line path does', async () => {
    await fixture.db.rows(sql`create table query_test.tricky (_kf_row bigint primary key, c2_name text, c6_open boolean)`);
    await fixture.db.rows(sql`insert into query_test.tricky values
      (1, 'say "hi", then go', true), (2, ${'two\nlines'}, false), (3, ${'carriage\rreturn'}, null), (4, null, true), (5, '社保,卡', false), (6, 'plain', null), (7, '', true)`);
    const fields = FIELDS.filter((field) => field.name === 'c2_name' || field.name === 'c6_open');
    const read = async (everyRow: boolean) =>
      (await readAll(exportStream({ db: fixture.db, table: 'query_test.tricky', fields, where: sql`true`, everyRow, format: 'csv', bom: true, batchRows: 4 }))).text;
    const copied = await read(true);
    expect(copied).toBe(await read(false));
    expect(parse(copied.replace(/^\uFEFF/, ''), { columns: true })).toEqual([
      { c2_name: 'say "hi", then go', c6_open: 'true' },
      { c2_name: 'two\nlines', c6_open: 'false' },
      { c2_name: 'carriage\rreturn', c6_open: '' },
      { c2_name: '', c6_open: 'true' },
      { c2_name: '社保,卡', c6_open: 'false' },
      { c2_name: 'plain', c6_open: '' },
      { c2_name: '', c6_open: 'true' },
    ]);
    expect(copied.split('\n').at(-2)).toBe('"",true');
  });

  it('a large CSV export leaves its connection usable for the next statement', async () => {
    // 30,000 rows of about 200 bytes: batches of several megabytes, read through one
    // connection so that the statements after each COPY run on the connection it used.
    await fixture.db.rows(sql`create table query_test.wide as
      select g::bigint as _kf_row, repeat('社保卡办理网点', 8) || g as c2_name, g % 2 = 0 as c6_open from generate_series(1, 30000) g`);
    const fields = FIELDS.filter((field) => field.name === 'c2_name' || field.name === 'c6_open');
    const target = fixture.test.target;
    const db = target.kind === 'postgres' ? await openDatabase({ ...target, poolMax: 1 }) : fixture.db;
    try {
      const stream = exportStream({ db, table: 'query_test.wide', fields, where: sql`true`, everyRow: true, format: 'csv', bom: false });
      const { text, chunks } = await readAll(stream);
      expect(text.split('\n').length - 2).toBe(30_000);
      expect(chunks).toBeGreaterThan(1);
      expect(await db.rows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      if (db !== fixture.db) await db.close();
    }
  });

  it('a reader that cancels mid-batch ends the export quietly, reported as incomplete', async () => {
    let totals: { rows: number; completed: boolean } | undefined;
    const stream = exportStream({
      db: fixture.db,
      table: fixture.table.qualifiedName,
      fields: STORED_FIELDS,
      where: compileWhere(parseRecordsQuery({}, FIELDS), FIELDS),
      format: 'ndjson',
      bom: false,
      batchRows: 200,
      chunkRows: 3,
      onDone: (sent) => (totals = sent),
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(totals?.completed).toBe(false);
    // The batch that was being read finished without error, and the database answers.
    expect(await fixture.db.rows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  it('an export with no rows is a header, an empty array or nothing', async () => {
    const none = { c1_id: 'lt.0' };
    expect((await exported('csv', none)).text.split('\n')[1]).toBe('');
    expect(JSON.parse((await exported('json', none)).text)).toEqual([]);
    expect((await exported('ndjson', none)).text).toBe('');
  });
});
