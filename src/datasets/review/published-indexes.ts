import { sql } from 'drizzle-orm';
import type { Orm } from '../../db/client';
import type { DatasetField } from '../field-schema';
import { quoteIdent } from '../version-table';

/**
 * Indexes a published table for the queries the schema allows: a b-tree per filterable
 * or sortable field (with the row id, for keyset pages in that order), and a trigram
 * index per filterable text field for `like` and Chinese substring search.
 */
export async function createPublishedIndexes(tx: Orm, qualifiedTable: string, tableName: string, fields: readonly DatasetField[]): Promise<void> {
  let counter = 0;
  for (const field of fields) {
    if (field.classification.action === 'drop') continue;
    const column = quoteIdent(field.name);
    if (field.filterable || field.sortable) {
      await tx.execute(sql.raw(`create index ${quoteIdent(`${tableName}_i${++counter}`)} on ${qualifiedTable} (${column}, _kf_row)`));
    }
    if (field.filterable && field.type === 'string') {
      await tx.execute(sql.raw(`create index ${quoteIdent(`${tableName}_t${++counter}`)} on ${qualifiedTable} using gin (${column} gin_trgm_ops)`));
    }
  }
  await tx.execute(sql.raw(`analyze ${qualifiedTable}`));
}
