// Streams a published version as CSV, NDJSON or a JSON array, with bounded memory and
// backpressure: a batch is read only when the client has taken the previous one. Postgres
// renders every row as its finished line of text, so the process never turns rows into
// objects with fields. Published tables never change, so the batches together are a
// consistent snapshot of the version; a withdrawal mid-export ends the stream with an error.
//
// Why batches of separate queries and not one COPY or cursor: a statement holds its lock
// on the version's table until it ends, and a slow client would then hold off a withdrawal
// (and every reader queued behind it) for as long as it pleases. A batch holds it for
// milliseconds.
//
// Why row lines gathered into chunks of EXPORT_CHUNK_ROWS as they arrive, and not one text
// per batch: see eachRow below.
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import type { DatasetField } from '../field-schema';
import { quoteIdent } from '../version-table';

export type ExportFormat = 'csv' | 'ndjson' | 'json';

/** Rows per query: large enough that per-query overhead vanishes, small enough to bound memory (a few MB). */
export const EXPORT_BATCH_ROWS = 10_000;
/** Rows per chunk handed to the response. */
export const EXPORT_CHUNK_ROWS = 400;
/** Bytes per chunk of COPY output handed to the response (COPY sends a message per row). */
const COPY_CHUNK_BYTES = 32 * 1024;

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface ExportRequest {
  db: Database;
  /** Schema-qualified, quoted table name of the published version. */
  table: string;
  /** The fields to export, in order (never dropped ones). */
  fields: readonly DatasetField[];
  /** Filter condition over alias `t`, with bound values; `sql\`true\`` for everything. */
  where: SQL;
  /** True when `where` selects every row (no filter, no `q`): CSV can then be written by Postgres' COPY. */
  everyRow?: boolean;
  format: ExportFormat;
  /** A UTF-8 byte order mark first, so spreadsheet programs read Chinese text correctly. */
  bom: boolean;
  /** Called once at the end with what was sent, for usage metering. */
  onDone?: (totals: { rows: number; bytes: number; completed: boolean }) => void;
  /** Rows per query and per chunk; the defaults are EXPORT_BATCH_ROWS and EXPORT_CHUNK_ROWS (tests use small ones). */
  batchRows?: number;
  chunkRows?: number;
}

const encoder = new TextEncoder();

// CSV cells: text quoted when needed (RFC 4180), everything else in its canonical text
// form; written exactly as COPY's CSV writes them (an empty string as "", NULL as nothing).
function csvCell(field: DatasetField): string {
  const column = `t.${quoteIdent(field.name)}`;
  if (field.type === 'string') {
    return `case when ${column} is null then '' when ${column} = '' then '""' when ${column} ~ '[",\\r\\n]' then '"' || replace(${column}, '"', '""') || '"' else ${column} end`;
  }
  return `coalesce(${column}::text, '')`;
}

function lineExpression(format: ExportFormat, fields: readonly DatasetField[]): string {
  if (format === 'csv') return fields.map(csvCell).join(` || ',' || `);
  const pairs = fields.map((field) => `'${field.name}', t.${quoteIdent(field.name)}`).join(', ');
  return `json_build_object(${pairs})::text`;
}

const dialect = new PgDialect();

/**
 * Runs a query and hands each row to `onRow`. On Postgres the rows are handed over as they
 * arrive and never collected into a result array, so each one is garbage almost at once;
 * collected, a batch lived long enough to be promoted to V8's old generation, and a 1M-row
 * export then grew the process by about 90 MiB between full collections (docs/benchmarks.md).
 */
async function eachRow<Row>(db: Database, statement: SQL, onRow: (row: Row) => void): Promise<void> {
  const driver = db.driver;
  if (driver.kind !== 'postgres') {
    for (const row of await db.rows<Row>(statement)) onRow(row);
    return;
  }
  const { sql: text, params } = dialect.sqlToQuery(statement);
  await driver.client.unsafe(text, params as never[]).forEach((row) => onRow(row as Row));
}

function safeRowId(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a row id: ${value}`);
  return value;
}

export function csvHeader(fields: readonly DatasetField[]): string {
  return fields.map((field) => (/[",\r\n]/.test(field.name) ? `"${field.name.replace(/"/g, '""')}"` : field.name)).join(',');
}

export function exportStream(request: ExportRequest): ReadableStream<Uint8Array> {
  const { db, table, fields, where, format, batchRows = EXPORT_BATCH_ROWS, chunkRows = EXPORT_CHUNK_ROWS } = request;
  const separator = format === 'json' ? ',\n' : '\n';
  const line = sql.raw(lineExpression(format, fields));
  // COPY writes CSV about three times faster than SQL string functions build it, but it
  // takes no bound parameters: used only when every row is exported, on Postgres.
  const copy = format === 'csv' && request.everyRow === true && db.driver.kind === 'postgres';
  // Booleans as true/false, as the line path writes them (COPY would write t/f).
  const copyColumns = fields.map((field) => `t.${quoteIdent(field.name)}${field.type === 'boolean' ? '::text' : ''}`).join(', ');
  let after = 0;
  let first = true;
  let finished = false;
  let rows = 0;
  let bytes = 0;
  // Set when the client goes away: the batch being read still arrives, and is dropped.
  let cancelled = false;
  const sendBytes = (controller: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array) => {
    if (cancelled) return;
    bytes += chunk.byteLength;
    controller.enqueue(chunk);
  };
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    if (!cancelled) sendBytes(controller, encoder.encode(text));
  };
  const finish = (completed: boolean) => {
    if (finished) return;
    finished = true;
    request.onDone?.({ rows, bytes, completed });
  };
  // One batch of rows as lines Postgres built; returns the rows read.
  const lineBatch = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    let fetched = 0;
    let pending = '';
    let pendingRows = 0;
    await eachRow<{ line: string; row: string }>(
      db,
      sql`select ${line} as line, t._kf_row::text as row from ${sql.raw(table)} t
        where t._kf_row > ${after} and (${where}) order by t._kf_row limit ${batchRows}`,
      (row) => {
        pending += first ? row.line : separator + row.line;
        first = false;
        after = Number(row.row);
        fetched++;
        if (++pendingRows === chunkRows) {
          send(controller, pending);
          pending = '';
          pendingRows = 0;
        }
      },
    );
    if (pendingRows > 0) send(controller, pending);
    return fetched;
  };

  // One batch of every row as CSV written by COPY: first the batch's last row id (an
  // index-only range on the primary key), then COPY of exactly that range. COPY takes no
  // bound parameters; the only values in its text are the two row ids, integers this code
  // read from the table. The batch is read at Postgres' speed and queued whole (about a
  // megabyte), so the statement and its lock last milliseconds however slow the client.
  const copyBatch = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (db.driver.kind !== 'postgres') throw new Error('COPY needs the Postgres driver');
    const client = db.driver.client;
    const [range] = await client.unsafe<{ last: string | null; count: number }[]>(
      `select max(b._kf_row)::text as last, count(*)::int as count from (select t._kf_row from ${table} t where t._kf_row > $1 order by t._kf_row limit $2) b`,
      [String(after), batchRows],
    );
    if (!range || range.count === 0 || range.last === null) return 0;
    const from = safeRowId(after);
    const to = safeRowId(Number(range.last));
    const stream = await client.unsafe(`copy (select ${copyColumns} from ${table} t where t._kf_row > ${from} and t._kf_row <= ${to} order by t._kf_row) to stdout with (format csv)`).readable();
    // Postgres sends one message per row; they go on in chunks of about COPY_CHUNK_BYTES.
    // Read in flowing mode, never with `for await`: postgres.js pauses the connection's
    // socket when the COPY stream's buffer is full and resumes it only when the stream is
    // read again, so a buffer that filled up with the last rows left the pooled connection
    // paused after the COPY, and the next statement on it never got its answer.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (message: Buffer) => {
        pending.push(message);
        pendingBytes += message.byteLength;
        if (pendingBytes >= COPY_CHUNK_BYTES) {
          sendBytes(controller, Buffer.concat(pending, pendingBytes));
          pending = [];
          pendingBytes = 0;
        }
      });
      stream.once('end', resolve);
      stream.once('error', reject);
    });
    if (pendingBytes > 0) sendBytes(controller, Buffer.concat(pending, pendingBytes));
    first = false;
    after = to;
    return range.count;
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (request.bom) send(controller, '\uFEFF');
        if (format === 'csv') send(controller, `${csvHeader(fields)}\n`);
        if (format === 'json') send(controller, '[\n');
      },
      async pull(controller) {
        try {
          const fetched = copy ? await copyBatch(controller) : await lineBatch(controller);
          rows += fetched;
          if (fetched === 0 && !cancelled) {
            if (format === 'json') send(controller, first ? ']\n' : '\n]\n');
            // COPY ends every row with a newline; the line path separates them.
            else if (!first && !copy) send(controller, '\n');
            controller.close();
            finish(true);
          }
        } catch (error) {
          finish(false);
          controller.error(error);
        }
      },
      cancel() {
        // The client went away: nothing is held open between batches, so there is no
        // connection or cursor to release (a batch being read finishes on its own, in
        // milliseconds), only the usage to record.
        cancelled = true;
        finish(false);
      },
    },
    // One batch at a time: the next query runs only when the consumer has read this one.
    { highWaterMark: 1 },
  );
}
