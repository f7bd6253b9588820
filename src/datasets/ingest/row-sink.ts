// Where an import's transformed rows go: `COPY ... FROM STDIN` on Postgres, batched
// `INSERT ... SELECT * FROM unnest(...)` on PGlite (which has no COPY from a client
// stream). Both write inside the import's transaction, so a failed import leaves nothing.
//
// `add` returns a promise only when the caller must wait (the database is behind), so the
// per-row loop does not pay for an await on every row. Values passed to `add` are copied
// or serialised before it returns; the caller may reuse its array.
import { sql, type SQL } from 'drizzle-orm';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type postgres from 'postgres';
import type { Orm } from '../../db/client';
import { KaifangError } from '../../errors';
import { cellLocation } from './read-csv';

export interface RowSink {
  /** Takes one row of transformed values (null = SQL NULL); a returned promise must be awaited before the next call. */
  add(values: readonly (string | null)[], line: number): Promise<void> | undefined;
  /** Writes what is left and waits until the database has stored every row. */
  finish(): Promise<void>;
  /** After a failure elsewhere: releases the connection so the transaction can roll back. */
  abort(error: unknown): Promise<void>;
}

/** Rows per INSERT: one array parameter per column, so the statement size does not grow with it. */
const INSERT_BATCH_ROWS = 5000;
/** COPY data is handed to the connection in chunks of about this many characters. */
const COPY_CHUNK_CHARS = 64 * 1024;

/**
 * Postgres text columns cannot hold U+0000 (neither can COPY's text format). Checked here,
 * client-side, for both sinks, so the import fails with the cell's location instead of a
 * database error, and so the COPY stream never carries a value the server rejects.
 */
function rejectNul(line: number, title: string): never {
  throw new KaifangError('csv_invalid', 'A value contains a NUL character, which cannot be stored.', {
    errors: [{ location: cellLocation(line, title), message: 'value contains a NUL character (U+0000); remove it' }],
  });
}

/**
 * COPY text format, streamed through postgres.js' `.writable()` with back-pressure: a
 * few chunks in flight at most, and Postgres parses rows while the next ones are being
 * transformed here. Compared with the unnest INSERT it saves the array-parameter
 * serialisation here and most of the per-row work in the server.
 */
export class CopySink implements RowSink {
  private chunk = '';
  private failure: Error | undefined;
  private ended = false;

  /**
   * @param stream from `tx.unsafe('copy <table> (<columns>) from stdin').writable()`
   * @param tx the postgres.js transaction the COPY runs in
   * @param titles column titles, in COPY column order, for error locations
   */
  constructor(
    private readonly stream: Writable,
    private readonly tx: postgres.TransactionSql,
    private readonly titles: readonly string[],
  ) {
    // The server rejecting the data, or the connection failing, destroys the stream with
    // the error; it is rethrown at the next write or at finish().
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  add(values: readonly (string | null)[], line: number): Promise<void> | undefined {
    let text = this.chunk;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (i > 0) text += '\t';
      if (value === null) text += '\\N';
      else if (!COPY_SPECIAL.test(value)) text += value;
      else text += escapeCopyText(value, line, this.titles[i]!);
    }
    this.chunk = `${text}\n`;
    return this.chunk.length >= COPY_CHUNK_CHARS ? this.write() : undefined;
  }

  async finish(): Promise<void> {
    this.throwIfFailed();
    // Wait until everything is handed to the socket (a write's callback comes after those
    // of the writes before it): then end() reaches postgres.js' final step (CopyDone) at
    // once, and the COPY no longer holds the connection.
    if (this.chunk.length > 0 || this.stream.writableLength > 0) {
      const text = this.chunk;
      this.chunk = '';
      await new Promise<void>((resolve, reject) => this.stream.write(text, (error) => (error ? reject(error) : resolve())));
    }
    this.throwIfFailed();
    this.ended = true;
    const done = new Promise<void>((resolve, reject) => {
      this.stream.once('finish', resolve);
      this.stream.once('error', reject);
    });
    this.stream.end();
    // postgres.js finishes the stream at the COPY's CommandComplete. If the server rejects
    // the data after CopyDone, it fails the COPY query (long since resolved with this
    // stream) and the stream never finishes; the next statement on the connection then
    // fails ("transaction is aborted"), so waiting for either cannot hang.
    const next = this.tx`select 1`.then(() => new Promise<void>(() => {}));
    await Promise.race([done, next]);
  }

  async abort(error: unknown): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    // CopyFail: the server ends the COPY with an error and the rollback can run.
    this.stream.destroy(error instanceof Error ? error : new Error('import failed'));
  }

  private async write(): Promise<void> {
    this.throwIfFailed();
    const text = this.chunk;
    this.chunk = '';
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/** Characters COPY's text format treats specially inside a value (U+0000 cannot be stored at all). */
const COPY_SPECIAL = /[\\\t\n\r\0]/;

function escapeCopyText(value: string, line: number, title: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let replacement: string;
    if (c === 92) replacement = '\\\\';
    else if (c === 9) replacement = '\\t';
    else if (c === 10) replacement = '\\n';
    else if (c === 13) replacement = '\\r';
    else if (c === 0) rejectNul(line, title);
    else continue;
    out += value.slice(from, i) + replacement;
    from = i + 1;
  }
  return out + value.slice(from);
}

/**
 * Batched INSERTs from one text array per column. One INSERT runs in the database while
 * the next batch is filled, so the server's work overlaps ours; waiting for the previous
 * one before sending the next keeps memory at two batches. A failed INSERT rejects at
 * that wait (or in finish()); if the import fails first, the rollback makes it irrelevant.
 */
export class InsertSink implements RowSink {
  private batch: (string | null)[][];
  private batchRows = 0;
  private inFlight: Promise<unknown> = Promise.resolve();

  /**
   * @param insertPrefix `insert into <table> (<columns>) select * from unnest(`
   * @param titles column titles, in insert column order, for error locations
   */
  constructor(
    private readonly tx: Orm,
    private readonly insertPrefix: SQL,
    private readonly titles: readonly string[],
  ) {
    this.batch = titles.map(() => []);
  }

  add(values: readonly (string | null)[], line: number): Promise<void> | undefined {
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value !== null && value.includes('\0')) rejectNul(line, this.titles[i]!);
      this.batch[i]!.push(value);
    }
    return ++this.batchRows >= INSERT_BATCH_ROWS ? this.flush() : undefined;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  async abort(): Promise<void> {
    // Nothing holds the connection: a pending INSERT finishes or fails, then the rollback runs.
  }

  private async flush(): Promise<void> {
    if (this.batchRows === 0) return;
    const arrays = sql.join(
      this.batch.map((column) => sql`${sql.param(column)}::text[]`),
      sql`, `,
    );
    const previous = this.inFlight;
    // drizzle's query runs each time it is awaited: start it exactly once, here.
    this.inFlight = this.tx.execute(sql`${this.insertPrefix}${arrays})`).then(() => undefined);
    this.inFlight.catch(() => {});
    this.batch = this.titles.map(() => []);
    this.batchRows = 0;
    await previous;
  }
}
