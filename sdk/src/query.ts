// Records queries in the API's PostgREST-style syntax, built from plain objects:
//   { filters: { c2: { in: ['蜀山区', '包河区'] }, c4: { gte: 3, lt: 10 } }, select: ['c1', 'c2'] }
// becomes c2=in.(蜀山区,包河区)&c4=gte.3&c4=lt.10&select=c1,c2.

/** A value a filter compares with. */
export type FilterScalar = string | number | boolean;

/** Operators of one filter; several keys on one field all apply (AND). */
export interface FilterOperators {
  eq?: FilterScalar;
  neq?: FilterScalar;
  gt?: FilterScalar;
  gte?: FilterScalar;
  lt?: FilterScalar;
  lte?: FilterScalar;
  in?: readonly FilterScalar[];
  /** Whole value (`'合肥市'`) or prefix with `*` at the end only (`'合肥*'`). */
  like?: string;
  /** `null` for `is.null`; `true`/`false` for boolean fields. */
  is?: null | boolean;
  /** The same operators, negated (`not.in.(...)`, `not.is.null`). */
  not?: Omit<FilterOperators, 'not'>;
}

/**
 * A filter on one field: operators (`{ gte: 3 }`), a raw `<op>.<value>` string exactly as
 * the HTTP API takes it (`'eq.蜀山区'`), `null` for `is.null`, or a list of those (AND).
 */
export type FilterValue = FilterOperators | string | null | readonly (FilterOperators | string | null)[];

/** Filters by field name (the `name` of the dataset's fields, such as `c2`). */
export type Filters = Record<string, FilterValue | undefined>;

/** What narrows and shapes the rows of records, aggregates and exports. */
export interface RowQuery {
  /** Field filters, ANDed. */
  filters?: Filters;
  /** Substring search over the filterable text fields (Chinese works). */
  q?: string;
  /** A published version number (default: the current version). */
  version?: number;
}

const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'is'] as const;

/** Quotes an in-list item when it holds a comma, a quote or a backslash, or is empty. */
function listItem(value: FilterScalar): string {
  const text = String(value);
  return text === '' || /[",\\()]/.test(text) ? `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"` : text;
}

function operatorTerms(operators: Omit<FilterOperators, 'not'>, prefix: string): string[] {
  const terms: string[] = [];
  for (const op of OPERATORS) {
    if (!(op in operators)) continue;
    const value = operators[op];
    if (value === undefined) continue;
    if (op === 'in') terms.push(`${prefix}in.(${(value as readonly FilterScalar[]).map(listItem).join(',')})`);
    else if (op === 'is') terms.push(`${prefix}is.${value === null ? 'null' : String(value)}`);
    else terms.push(`${prefix}${op}.${String(value)}`);
  }
  return terms;
}

/** The `<op>.<value>` strings of one field's filter. */
export function filterTerms(value: FilterValue): string[] {
  if (value === null) return ['is.null'];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return (value as readonly (FilterOperators | string | null)[]).flatMap((item) => filterTerms(item));
  const operators = value as FilterOperators;
  const terms = operatorTerms(operators, '');
  if (operators.not) terms.push(...operatorTerms(operators.not, 'not.'));
  return terms;
}

const list = (value: string | readonly string[] | undefined) => (value === undefined ? undefined : typeof value === 'string' ? value : value.join(','));

/** The query string parameters of a row query plus extra named parameters. */
export function rowQueryParams(query: RowQuery & { select?: string | readonly string[]; order?: string | readonly string[] }, extra: Record<string, string | number | undefined> = {}): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined) params.append(name, String(value));
  };
  set('q', query.q);
  set('select', list(query.select));
  set('order', list(query.order));
  set('version', query.version);
  for (const [name, value] of Object.entries(extra)) set(name, value);
  for (const [field, filter] of Object.entries(query.filters ?? {})) {
    if (filter === undefined) continue;
    for (const term of filterTerms(filter)) params.append(field, term);
  }
  return params;
}
