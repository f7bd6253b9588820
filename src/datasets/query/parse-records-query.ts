// The records query syntax of the public API (DESIGN.md, "Public API contract"):
// PostgREST-style `<field>=<op>.<value>` filters plus `q select order limit cursor count
// version`. Parsing is pure and collects every problem before it throws, so a developer
// fixes all their parameters in one round trip instead of one per request.
//
// Nothing here reaches SQL as text: field references are resolved to the dataset's
// schema (whose names are generated identifiers), and values are checked against the
// field type and kept as canonical strings that the compiler binds as parameters.
import { KaifangError, type FieldIssue } from '../../errors';
import type { DatasetField } from '../field-schema';
import type { FieldType } from '../ingest/infer-types';

export const COMPARISON_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export const FILTER_OPERATORS = [...COMPARISON_OPERATORS, 'in', 'like', 'is'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/**
 * One filter. Values are canonical strings for the field type (`true`, `42`, `2024-03-01`),
 * bound as parameters and cast to the column type by the compiler. SQL semantics apply:
 * a NULL value never matches a comparison, `in` or `like`, negated or not; `is.null`
 * is how to ask for NULLs.
 */
export type RecordsFilter =
  | { field: string; negated: boolean; op: ComparisonOperator; value: string }
  | { field: string; negated: boolean; op: 'in'; values: string[] }
  /** `like.abc*` (prefix: true) or `like.abc` (the whole value, case-sensitive). */
  | { field: string; negated: boolean; op: 'like'; text: string; prefix: boolean }
  | { field: string; negated: boolean; op: 'is'; value: 'null' | 'true' | 'false' };

export interface OrderTerm {
  field: string;
  direction: 'asc' | 'desc';
  /** Defaults follow Postgres: NULLs last ascending, first descending (what a b-tree scan gives). */
  nulls: 'first' | 'last';
}

export type CountMode = 'exact' | 'estimated' | 'none';

export interface RecordsQuery {
  filters: RecordsFilter[];
  /** Substring search over the filterable string fields, or null. */
  q: string | null;
  /** Field names in output order; every public field when `select` is absent. */
  select: string[];
  /** Requested sort terms; the compiler adds `_kf_row` as the unique tiebreaker. */
  order: OrderTerm[];
  limit: number;
  /** The opaque cursor as sent; decodeCursor checks it against dataset, version and query. */
  cursor: string | null;
  count: CountMode;
  /** `version=n`, or null for the dataset's current version. */
  version: number | null;
}

export interface RecordsQueryOptions {
  maxLimit: number;
  defaultLimit: number;
}

export const DEFAULT_RECORDS_QUERY_OPTIONS: RecordsQueryOptions = { maxLimit: 1000, defaultLimit: 100 };

/**
 * Parameters that are never field names. This parser reads `q select order limit cursor
 * count version`; the others belong to exports, aggregates or the auth middleware and are
 * left to them.
 */
export const RESERVED_PARAMETERS: ReadonlySet<string> = new Set([
  'q', 'select', 'order', 'limit', 'cursor', 'count', 'version', 'format', 'bom', 'groupBy', 'metrics', 'api_key', 'apiKey', 'key',
]);

export const MAX_FILTERS = 20;
export const MAX_IN_VALUES = 100;
export const MAX_VALUE_CHARS = 500;
export const MAX_ORDER_TERMS = 10;
export const MAX_CURSOR_CHARS = 2048;
const MAX_NAME_IN_LOCATION = 64;
const MAX_VERSION = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type QueryParams = URLSearchParams | Record<string, string | string[] | undefined>;

/**
 * Parses and checks a records query against the dataset's field schema. Throws one
 * `validation_failed` KaifangError whose `errors` name every malformed parameter
 * (`query.<name>`); returns a fully resolved query otherwise.
 */
export function parseRecordsQuery(
  params: QueryParams,
  fields: readonly DatasetField[],
  options: RecordsQueryOptions = DEFAULT_RECORDS_QUERY_OPTIONS,
): RecordsQuery {
  const issues: FieldIssue[] = [];
  const problem = (name: string, message: string) => issues.push({ location: location(name), message });

  // Dropped fields do not exist in the table: to the API they are unknown, like any typo.
  const byName = new Map<string, DatasetField>();
  for (const field of fields) if (field.classification.action !== 'drop') byName.set(field.name, field);

  const grouped = new Map<string, string[]>();
  for (const [name, value] of entries(params)) {
    const list = grouped.get(name);
    if (list) list.push(value);
    else grouped.set(name, [value]);
  }

  const single = (name: string): string | undefined => {
    const values = grouped.get(name);
    if (!values) return undefined;
    if (values.length > 1) {
      problem(name, 'given more than once; send it once');
      return undefined;
    }
    return values[0];
  };

  const query: RecordsQuery = {
    filters: [],
    q: null,
    select: [...byName.keys()],
    order: [],
    limit: options.defaultLimit,
    cursor: null,
    count: 'estimated',
    version: null,
  };

  // q
  const q = single('q');
  if (q !== undefined && q !== '') {
    const searchable = [...byName.values()].some((field) => field.filterable && field.type === 'string');
    const bad = textProblem(q);
    if (bad) problem('q', bad);
    else if (!searchable) problem('q', 'this dataset has no searchable (filterable text) fields');
    else query.q = q;
  }

  // select
  const select = single('select');
  if (select !== undefined) {
    const names = select.split(',');
    const seen = new Set<string>();
    const bad: string[] = [];
    for (const name of names) {
      if (name === '') bad.push('an empty field name');
      else if (!byName.has(name)) bad.push(`unknown field ${quoteName(name)}`);
      else if (seen.has(name)) bad.push(`field ${quoteName(name)} listed twice`);
      seen.add(name);
    }
    if (bad.length) problem('select', `expected a comma-separated list of field names: ${bad.join('; ')}`);
    else query.select = names;
  }

  // order
  const order = single('order');
  if (order !== undefined) {
    const terms = order.split(',');
    const bad: string[] = [];
    const seen = new Set<string>();
    const parsed: OrderTerm[] = [];
    if (terms.length > MAX_ORDER_TERMS) bad.push(`at most ${MAX_ORDER_TERMS} sort fields`);
    else {
      for (const term of terms) {
        const [name = '', ...modifiers] = term.split('.');
        const field = byName.get(name);
        if (name === '') {
          bad.push('an empty field name');
          continue;
        }
        if (!field) {
          bad.push(`unknown field ${quoteName(name)}`);
          continue;
        }
        if (!field.sortable) {
          bad.push(`field ${quoteName(name)} is not sortable`);
          continue;
        }
        if (seen.has(name)) {
          bad.push(`field ${quoteName(name)} listed twice`);
          continue;
        }
        seen.add(name);
        let direction: 'asc' | 'desc' | undefined;
        let nulls: 'first' | 'last' | undefined;
        let ok = modifiers.length <= 2;
        for (const modifier of modifiers) {
          if ((modifier === 'asc' || modifier === 'desc') && !direction && !nulls) direction = modifier;
          else if ((modifier === 'nullsfirst' || modifier === 'nullslast') && !nulls) nulls = modifier === 'nullsfirst' ? 'first' : 'last';
          else ok = false;
        }
        if (!ok) {
          bad.push(`${quoteName(name)}: expected <field>[.asc|.desc][.nullsfirst|.nullslast]`);
          continue;
        }
        direction ??= 'asc';
        parsed.push({ field: name, direction, nulls: nulls ?? (direction === 'asc' ? 'last' : 'first') });
      }
    }
    if (bad.length) problem('order', `expected a comma-separated list like a.desc,b: ${bad.join('; ')}`);
    else query.order = parsed;
  }

  // limit
  const limit = single('limit');
  if (limit !== undefined) {
    if (!/^\d{1,7}$/.test(limit) || Number(limit) < 1 || Number(limit) > options.maxLimit) {
      problem('limit', `expected a whole number from 1 to ${options.maxLimit}`);
    } else query.limit = Number(limit);
  }

  // cursor: only its shape here; decodeCursor verifies it, since that needs the key and the dataset.
  const cursor = single('cursor');
  if (cursor !== undefined) {
    if (cursor.length === 0 || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_.-]+$/.test(cursor)) {
      problem('cursor', 'not a cursor issued by this API: pass the `next` value of the previous page unchanged');
    } else query.cursor = cursor;
  }

  // count
  const count = single('count');
  if (count !== undefined) {
    if (count === 'exact' || count === 'estimated' || count === 'none') query.count = count;
    else problem('count', 'expected exact, estimated or none');
  }

  // version
  const version = single('version');
  if (version !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(version) || Number(version) > MAX_VERSION) problem('version', 'expected a version number (a whole number from 1)');
    else query.version = Number(version);
  }

  // filters: every parameter that is not reserved is a field reference.
  let filterCount = 0;
  for (const [name, values] of grouped) {
    if (RESERVED_PARAMETERS.has(name)) continue;
    const field = byName.get(name);
    if (!field) {
      problem(name, 'unknown field; filters take the form <field>=<op>.<value> with a field name from the dataset schema');
      continue;
    }
    if (!field.filterable) {
      problem(name, `field ${quoteName(name)} is not filterable`);
      continue;
    }
    for (const raw of values) {
      filterCount += 1;
      if (filterCount === MAX_FILTERS + 1) problem(name, `too many filters: at most ${MAX_FILTERS} per request`);
      if (filterCount > MAX_FILTERS) continue;
      const result = parseFilter(field, raw);
      if (typeof result === 'string') problem(name, result);
      else query.filters.push(result);
    }
  }

  if (issues.length > 0) {
    const names = [...new Set(issues.map((issue) => issue.location.slice('query.'.length)))];
    throw new KaifangError(
      'validation_failed',
      `The records query has ${issues.length === 1 ? 'a malformed parameter' : `${issues.length} problems`}: ${names.join(', ')}.`,
      { errors: issues },
    );
  }
  return query;
}

function* entries(params: QueryParams): Iterable<[string, string]> {
  if (params instanceof URLSearchParams) {
    yield* params.entries();
    return;
  }
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) yield [name, item];
    else yield [name, value];
  }
}

function location(name: string): string {
  return `query.${name.length > MAX_NAME_IN_LOCATION ? `${name.slice(0, MAX_NAME_IN_LOCATION)}…` : name}`;
}

function quoteName(name: string): string {
  return JSON.stringify(name.length > MAX_NAME_IN_LOCATION ? `${name.slice(0, MAX_NAME_IN_LOCATION)}…` : name);
}

/** Why a text value cannot be used, or null when it can. Never quotes the value. */
function textProblem(value: string): string | null {
  if ([...value].length > MAX_VALUE_CHARS) return `value longer than ${MAX_VALUE_CHARS} characters`;
  // Postgres text cannot hold NUL, and lone surrogates are not valid UTF-8: both would be server errors.
  if (value.includes('\u0000')) return 'value contains a NUL character';
  if (/\p{Cs}/u.test(value)) return 'value is not valid Unicode text';
  return null;
}

/** A filter, or the reason the parameter value is malformed. */
function parseFilter(field: DatasetField, raw: string): RecordsFilter | string {
  let rest = raw;
  let negated = false;
  if (rest.startsWith('not.')) {
    negated = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf('.');
  const op = dot === -1 ? rest : rest.slice(0, dot);
  if (dot === -1 || !(FILTER_OPERATORS as readonly string[]).includes(op)) {
    return `expected <op>.<value> (ops: ${FILTER_OPERATORS.join(', ')}, optionally prefixed by not.), for example eq.${exampleValue(field.type)}`;
  }
  const value = rest.slice(dot + 1);
  const name = field.name;
  switch (op as FilterOperator) {
    case 'is': {
      if (value === 'null') return { field: name, negated, op: 'is', value: 'null' };
      if (value === 'true' || value === 'false') {
        if (field.type !== 'boolean') return `is.${value} applies to boolean fields only; use is.null or not.is.null`;
        return { field: name, negated, op: 'is', value };
      }
      return field.type === 'boolean' ? 'expected is.null, is.true or is.false' : 'expected is.null (or not.is.null)';
    }
    case 'in': {
      if (!value.startsWith('(') || !value.endsWith(')') || value.length < 2) return 'expected in.(a,b,"c,d") with the values in parentheses';
      const items = splitList(value.slice(1, -1));
      if (typeof items === 'string') return items;
      if (items.length === 0) return 'expected at least one value in the list';
      if (items.length > MAX_IN_VALUES) return `at most ${MAX_IN_VALUES} values in an in-list`;
      const values: string[] = [];
      for (const [index, item] of items.entries()) {
        const checked = checkValue(field.type, item);
        if (!checked.ok) return `value ${index + 1} in the list: ${checked.reason}`;
        values.push(checked.value);
      }
      return { field: name, negated, op: 'in', values };
    }
    case 'like': {
      if (field.type !== 'string') return 'like applies to text fields only; use eq, gt, gte, lt or lte';
      const star = value.indexOf('*');
      if (star !== -1 && star !== value.length - 1) return 'like takes a prefix: * is allowed only once, at the end (like.合肥*)';
      const text = star === -1 ? value : value.slice(0, -1);
      const bad = textProblem(text);
      if (bad) return bad;
      return { field: name, negated, op: 'like', text, prefix: star !== -1 };
    }
    default: {
      const checked = checkValue(field.type, value);
      if (!checked.ok) return checked.reason;
      return { field: name, negated, op: op as ComparisonOperator, value: checked.value };
    }
  }
}

/** Splits `a,b,"c,d"`: double quotes protect commas; `\"` and `\\` escape inside quotes. */
function splitList(body: string): string[] | string {
  const items: string[] = [];
  let index = 0;
  if (body === '') return [];
  for (;;) {
    let item = '';
    if (body[index] === '"') {
      index += 1;
      let closed = false;
      while (index < body.length) {
        const char = body[index]!;
        if (char === '\\' && index + 1 < body.length) {
          item += body[index + 1];
          index += 2;
        } else if (char === '"') {
          closed = true;
          index += 1;
          break;
        } else {
          item += char;
          index += 1;
        }
      }
      if (!closed) return 'unclosed double quote in the list';
      if (index < body.length && body[index] !== ',') return 'expected a comma after a quoted value';
    } else {
      const comma = body.indexOf(',', index);
      const end = comma === -1 ? body.length : comma;
      item = body.slice(index, end);
      if (item.includes('"')) return 'a double quote may only open a value: quote the whole value ("c,d")';
      index = end;
    }
    items.push(item);
    if (items.length > MAX_IN_VALUES) return items;
    if (index >= body.length) return items;
    index += 1; // the comma
    if (index >= body.length) {
      items.push('');
      return items;
    }
  }
}

type Checked = { ok: true; value: string } | { ok: false; reason: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$/;
const NUMBER_RE = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

function exampleValue(type: FieldType): string {
  switch (type) {
    case 'integer':
      return '42';
    case 'number':
      return '3.5';
    case 'boolean':
      return 'true';
    case 'date':
      return '2024-03-01';
    case 'datetime':
      return '2024-03-01T08:30:00';
    case 'string':
      return '合肥';
  }
}

/** Checks one value against a field type; returns its canonical form. Reasons never quote the value. */
export function checkValue(type: FieldType, value: string): Checked {
  const fail = (reason: string): Checked => ({ ok: false, reason });
  if (type === 'string') {
    const bad = textProblem(value);
    return bad ? fail(bad) : { ok: true, value };
  }
  if (value.length > MAX_VALUE_CHARS) return fail(`value longer than ${MAX_VALUE_CHARS} characters`);
  switch (type) {
    case 'integer': {
      if (!/^-?\d{1,19}$/.test(value)) return fail('value does not fit type integer (for example 42 or -7)');
      const parsed = BigInt(value);
      if (parsed < INT64_MIN || parsed > INT64_MAX) return fail('integer out of the 64-bit range');
      return { ok: true, value: parsed.toString() };
    }
    case 'number':
      // No NaN or Infinity: Postgres numeric would accept them, JSON cannot carry them.
      return NUMBER_RE.test(value) ? { ok: true, value } : fail('value does not fit type number (for example 3.5, -2 or 1e3)');
    case 'boolean':
      return value === 'true' || value === 'false' ? { ok: true, value } : fail('value does not fit type boolean (true or false)');
    case 'date':
      return isCalendarDate(value) ? { ok: true, value } : fail('value does not fit type date (YYYY-MM-DD, a real calendar date)');
    case 'datetime': {
      const match = DATETIME_RE.exec(value);
      if (!match || !isCalendarDate(match[1]!) || Number(match[2]) > 23 || Number(match[3]) > 59 || Number(match[4] ?? 0) > 59) {
        // Datetime fields hold local times without an offset, so a value with one would be ambiguous.
        return fail('value does not fit type datetime (YYYY-MM-DDTHH:MM[:SS[.ffffff]], local time without an offset)');
      }
      const [, date, hours, minutes, seconds = '00', fraction = ''] = match;
      return { ok: true, value: `${date}T${hours}:${minutes}:${seconds}${fraction}` };
    }
  }
}

function isCalendarDate(value: string): boolean {
  const match = DATE_RE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
