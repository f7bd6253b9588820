// SQL column names for imported tables. Header text is user input and may be Chinese,
// contain quotes or spaces, or collide with reserved words, so it never reaches SQL as
// is: the identifier is `c<position>` plus an optional ASCII slug of the header. The
// position prefix makes every identifier unique within a table and never a keyword.

/** Longest identifier produced; well under Postgres's 63-byte limit. */
export const MAX_COLUMN_IDENTIFIER_LENGTH = 50;

/**
 * A safe SQL identifier for the header at 0-based `index`: `c3` for `电话`,
 * `c2_phone_number` for `Phone Number`, `c1_cafe` for `Café`. Only `[a-z0-9_]`, at most
 * 50 characters, unique per position; the same header and position always give the
 * same identifier.
 */
export function toColumnIdentifier(header: string, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError('column index must be a non-negative integer');
  }
  const prefix = `c${index + 1}`;
  const slug = header
    .normalize('NFKD') // splits accents off Latin letters and folds full-width ASCII
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (slug === '') return prefix;
  const room = MAX_COLUMN_IDENTIFIER_LENGTH - prefix.length - 1;
  const cut = slug.slice(0, room).replace(/_+$/, '');
  return cut === '' ? prefix : `${prefix}_${cut}`;
}

/** Identifiers for a whole header row, in order. */
export function toColumnIdentifiers(header: readonly string[]): string[] {
  return header.map((name, index) => toColumnIdentifier(name, index));
}
