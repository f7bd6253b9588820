// Runs the records statements on the Postgres backend as named prepared statements.
//
// Why: drizzle runs every query through postgres.js `unsafe()` unprepared, and postgres.js
// sends an unprepared query with parameters as Parse + Describe, waits for the parameter
// types, and only then sends Bind + Execute: two round trips, and a parse and plan, per
// statement. A records page repeats one statement shape with new values, so preparing it
// makes every later execution one round trip (bench/records.ts, docs/benchmarks.md).
//
// Prepared statements live per connection in postgres.js and in the Postgres backend until
// the connection closes, so the number of distinct statement texts prepared is bounded:
// once MAX_PREPARED_SHAPES texts have been seen, new shapes run unprepared. Values are
// bound parameters either way; nothing here changes what the statement says.
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';

export const MAX_PREPARED_SHAPES = 200;

const dialect = new PgDialect();
const preparedShapes = new Set<string>();

export async function runStatement<Row>(db: Database, statement: SQL): Promise<Row[]> {
  const driver = db.driver;
  if (driver.kind !== 'postgres') return db.rows<Row>(statement);
  const { sql: text, params } = dialect.sqlToQuery(statement);
  return (await driver.client.unsafe(text, params as never[], { prepare: mayPrepare(text) })) as unknown as Row[];
}

/**
 * Like runStatement, with each row as an array of its columns' raw text bytes (null for
 * NULL), in select order. On Postgres the driver hands over the bytes it received without
 * decoding them, so text Postgres built (JSON) can go to the client without a round trip
 * through a JavaScript string.
 */
export async function runStatementRaw(db: Database, statement: SQL): Promise<(Buffer | null)[][]> {
  const driver = db.driver;
  if (driver.kind !== 'postgres') {
    const rows = await db.rows<Record<string, unknown>>(statement);
    return rows.map((row) => Object.values(row).map((value) => (value === null || value === undefined ? null : Buffer.from(String(value)))));
  }
  const { sql: text, params } = dialect.sqlToQuery(statement);
  return (await driver.client.unsafe(text, params as never[], { prepare: mayPrepare(text) }).raw()) as unknown as (Buffer | null)[][];
}

/** Whether a statement text may run prepared: it is among the first MAX_PREPARED_SHAPES texts seen. */
function mayPrepare(text: string): boolean {
  if (!preparedShapes.has(text) && preparedShapes.size < MAX_PREPARED_SHAPES) preparedShapes.add(text);
  return preparedShapes.has(text);
}
