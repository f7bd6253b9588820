// Version tables are created from generated identifiers only: the dataset's UUID and
// the version number, never a name or header from user input.
import type { DatasetField } from './field-schema';
import type { FieldType } from './ingest/infer-types';

/** Drafts and submitted versions live here, out of reach of the public API. */
export const STAGING_SCHEMA = 'staging';
/** Published versions: the only tables the public API reads. */
export const PUBLISHED_SCHEMA = 'published';

export function versionTableName(datasetId: string, versionNumber: number): string {
  const hex = datasetId.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex) || !Number.isInteger(versionNumber) || versionNumber < 1) {
    throw new Error('version table names come from a dataset UUID and a positive version number');
  }
  return `ds_${hex}_v${versionNumber}`;
}

/** Quotes an identifier this code generated; refuses anything that is not one. */
export function quoteIdent(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(identifier)) throw new Error(`not a generated identifier: ${JSON.stringify(identifier)}`);
  return `"${identifier}"`;
}

export const SQL_TYPES: Record<FieldType, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
};

// Stored values are text in the canonical forms parseValue accepts; these casts read the
// same forms (Chinese dates 2024年3月1日, slashes, 是/否) in SQL.
function castExpression(column: string, type: FieldType): string {
  const value = `nullif(btrim(${column}), '')`;
  switch (type) {
    case 'integer':
      return `${value}::bigint`;
    case 'number':
      return `${value}::numeric`;
    case 'boolean':
      return `case lower(${value}) when 'true' then true when '是' then true when '1' then true when 'false' then false when '否' then false when '0' then false end`;
    case 'date':
      return `translate(${value}, '年月/日', '---')::date`;
    case 'datetime':
      return `replace(${value}, '/', '-')::timestamp`;
    case 'string':
      return column;
  }
}

/** One ALTER TABLE that gives every typed column its SQL type (a single table rewrite). */
export function alterColumnTypesSql(qualifiedTable: string, fields: readonly DatasetField[]): string {
  const clauses = fields.map((field) => {
    const column = quoteIdent(field.name);
    return `alter column ${column} type ${SQL_TYPES[field.type]} using ${castExpression(column, field.type)}`;
  });
  return `alter table ${qualifiedTable} ${clauses.join(', ')}`;
}
