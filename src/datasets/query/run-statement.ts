// Runs the records statements (statement.ts): on the Postgres backend as named prepared
// statements, on PGlite as they are.
//
// Why prepared: drizzle runs every query through postgres.js `unsafe()` unprepared, and postgres.js
// sends an unprepared query with parameters as Parse + Describe, waits for the parameter
// types, and only then sends Bind + Execute: two round trips, and a parse and plan, per
// statement. A records page repeats one statement shape with new values, so preparing it
// makes every later execution one round trip (bench/records.ts, docs/benchmarks.md).
//
// Prepared statements live per connection in postgres.js and in the Postgres backend until
// the connection closes, so the number of distinct statement texts prepared is bounded:
// once MAX_PREPARED_SHAPES texts have been seen, new shapes run unprepared. Values are
// bound parameters either way; nothing here changes what the statement says.
import type { Database } from '../../db/client';
import { render, type Statement } from './statement';

export const MAX_PREPARED_SHAPES = 200;

const preparedShapes = new Set<string>();

export async function runStatement<Row>(db: Database, statement: Statement): Promise<Row[]> {
  const driver = db.driver;
  const { text, params } = render(statement);
  if (driver.kind !== 'postgres') return (await driver.client.query<Row>(text, params)).rows;
  return (await driver.client.unsafe(text, params as never[], { prepare: mayPrepare(text) })) as unknown as Row[];
}

/**
 * Like runStatement, with each row as an array of its columns' raw text bytes (null for
 * NULL), in select order. On Postgres the driver hands over the bytes it received without
 * decoding them, so text Postgres built (JSON) can go to the client without a round trip
 * through a JavaScript string.
 */
export async function runStatementRaw(db: Database, statement: Statement): Promise<(Buffer | null)[][]> {
  const driver = db.driver;
  const { text, params } = render(statement);
  if (driver.kind !== 'postgres') {
    const { rows } = await driver.client.query<unknown[]>(text, params, { rowMode: 'array' });
    return rows.map((row) => row.map((value) => (value === null || value === undefined ? null : Buffer.from(String(value)))));
  }
  return (await driver.client.unsafe(text, params as never[], { prepare: mayPrepare(text) }).raw()) as unknown as (Buffer | null)[][];
}

/** Whether a statement text may run prepared: it is among the first MAX_PREPARED_SHAPES texts seen. */
function mayPrepare(text: string): boolean {
  if (!preparedShapes.has(text) && preparedShapes.size < MAX_PREPARED_SHAPES) preparedShapes.add(text);
  return preparedShapes.has(text);
}
