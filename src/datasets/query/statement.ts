// The records statements are built with this small SQL template instead of drizzle's `sql`.
//
// Why: a records page is one statement built per request, and drizzle's builder (its
// entity checks on every chunk, a tracing span per render) was about 8% of the server's
// CPU per page (bench/records.ts profile, docs/benchmarks.md). This does the one thing
// the compiler needs: SQL text with values bound as `$n` parameters, nothing else. Values
// are never written into the text. Statements meant for drizzle (aggregates, exports) get
// converted with toDrizzle, which keeps every value a bound parameter there too.
import { sql, type SQL } from 'drizzle-orm';

type Token = string | { readonly value: unknown };

/** SQL text and bound values, in order. Build with `q`, `raw` and `join`. */
export class Statement {
  constructor(readonly tokens: readonly Token[]) {}
}

/**
 * A tagged template: an interpolated Statement is inlined; a string, number or null becomes
 * a bound parameter. `q\`${col} = ${value}\`` never puts `value` into the text.
 */
export function q(strings: TemplateStringsArray, ...items: unknown[]): Statement {
  const tokens: Token[] = [];
  for (let index = 0; index < strings.length; index++) {
    if (strings[index]) tokens.push(strings[index]!);
    if (index >= items.length) break;
    const item = items[index];
    if (item instanceof Statement) for (const token of item.tokens) tokens.push(token);
    else if (typeof item === 'string' || typeof item === 'number' || item === null) tokens.push({ value: item });
    // Anything else (undefined, an array, a drizzle SQL object) is a programming error: it
    // would bind as something other than what was meant, or turn into SQL in toDrizzle.
    else throw new TypeError(`a statement value must be a string, a number or null, not ${Array.isArray(item) ? 'an array' : typeof item}`);
  }
  return new Statement(tokens);
}

/** Text that goes into the statement as it is: identifiers and keywords this code generated, never input. */
export function raw(text: string): Statement {
  return new Statement([text]);
}

export function join(parts: readonly Statement[], separator: string): Statement {
  const tokens: Token[] = [];
  for (const [index, part] of parts.entries()) {
    if (index > 0) tokens.push(separator);
    for (const token of part.tokens) tokens.push(token);
  }
  return new Statement(tokens);
}

/** The statement's text, with `$1`, `$2`, ... where the values go, and the values. */
export function render(statement: Statement): { text: string; params: unknown[] } {
  let text = '';
  const params: unknown[] = [];
  for (const token of statement.tokens) {
    if (typeof token === 'string') text += token;
    else text += `$${params.push(token.value)}`;
  }
  return { text, params };
}

/** The same statement as drizzle SQL, values still bound parameters, to embed in a drizzle query. */
export function toDrizzle(statement: Statement): SQL {
  return sql.join(statement.tokens.map((token) => (typeof token === 'string' ? sql.raw(token) : sql`${token.value}`)));
}
