import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { KaifangError } from '../../errors';
import { datasets, datasetVersions, publishers } from '../tables';
import { visibleDataset } from './public-dataset';

export interface CatalogSearch {
  q?: string;
  theme?: string;
  publisher?: string;
  tag?: string;
  openTier?: 'unconditional' | 'conditional';
  limit: number;
  cursor?: string;
}

// The catalog is ordered by slug, which is unique and stable: the cursor is simply the
// last slug of the page, base64url-encoded so clients treat it as opaque.
const encodeCursor = (slug: string) => Buffer.from(`s:${slug}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('s:') || text.length < 3) {
    throw new KaifangError('validation_failed', 'The cursor is not one this API issued.', { errors: [{ location: 'query.cursor', message: 'invalid cursor' }] });
  }
  return text.slice(2);
}

/** Escapes LIKE wildcards so a search for `50%` means the characters, not a pattern. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export async function searchCatalog(db: Database, search: CatalogSearch) {
  const conditions: SQL[] = [visibleDataset!];
  if (search.q) {
    // Substring match works for Chinese (社保 finds 社保卡办理网点); trigram indexes serve it.
    const pattern = `%${likeLiteral(search.q)}%`;
    conditions.push(
      sql`(${datasets.title} ilike ${pattern} or ${datasets.description} ilike ${pattern} or array_to_string(${datasets.keywords}, ' ') ilike ${pattern})`,
    );
  }
  if (search.theme) conditions.push(eq(datasets.theme, search.theme));
  if (search.publisher) conditions.push(eq(publishers.slug, search.publisher));
  if (search.tag) conditions.push(sql`${search.tag} = any(${datasets.keywords})`);
  if (search.openTier) conditions.push(eq(datasets.openTier, search.openTier));
  if (search.cursor) conditions.push(gt(datasets.slug, decodeCursor(search.cursor)));
  const rows = await db.orm
    .select({
      dataset: datasets,
      publisher: { slug: publishers.slug, name: publishers.name },
      rowCount: datasetVersions.rowCount,
      publishedAt: datasetVersions.publishedAt,
    })
    .from(datasets)
    .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
    .innerJoin(datasetVersions, and(eq(datasetVersions.datasetId, datasets.id), eq(datasetVersions.number, datasets.currentVersion)))
    .where(and(...conditions))
    .orderBy(asc(datasets.slug))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  return { items: page, next: rows.length > search.limit ? encodeCursor(page.at(-1)!.dataset.slug) : null };
}
