// Imports a department's CSV as a new draft version. Raw values never reach the
// database: every cell is transformed by the policy's action for its column on the way
// in, and only transformed values are written. Everything happens in one transaction,
// so a file that fails anywhere leaves no version, no table and no event behind.
import { eq, sql } from 'drizzle-orm';
import type { StewardIdentity } from '../auth/identity';
import type { Clock } from '../clock';
import { postgresTransactionOf, type Database, type Orm } from '../db/client';
import { KaifangError } from '../errors';
import {
  applyAction,
  ColumnProfiler,
  deriveDatasetKey,
  DROPPED,
  maskGeneric,
  redactText,
  resolveColumnAction,
  scanText,
  type Action,
  type ColumnProfile,
  type OpenTier,
  type Policy,
  type PrivacyType,
  type Role,
} from '../privacy/index';
import type { DatasetField, FieldClassification } from './field-schema';
import { parseValue, TypeInferrer, type FieldType } from './ingest/infer-types';
import { cellLocation, readCsv, toColumnIdentifiers, type CsvEncoding, type CsvRow, type CsvSource } from './ingest/read-csv';
import { CopySink, InsertSink, type RowSink } from './ingest/row-sink';
import { assertActsFor } from './permissions';
import { recordEvent } from './record-event';
import type { ClassificationReport, ColumnReport } from './reports';
import { datasets, datasetVersions, publishers, type FieldDeclaration } from './tables';
import { alterColumnTypesSql, quoteIdent, versionTableName, STAGING_SCHEMA } from './version-table';

/** Rows profiled before the columns' actions are decided; detection statistics in the report come from them. */
export const SAMPLE_ROWS = 1000;
/** Distinct kept values per column whose scan result is remembered (see ScanMemo). */
const SCAN_MEMO_ENTRIES = 1024;
/** Longer values are always scanned afresh, so the memo holds at most ~64 KiB of text per column. */
const SCAN_MEMO_MAX_CHARS = 64;
/** A column whose sample cells are at least this share one detected type is classified as that type. */
const DETECTED_MIN_SHARE = 0.8;

export interface ImportContext {
  db: Database;
  policy: Policy;
  /** Platform secret; per-dataset pseudonym keys are derived from it. */
  secret: string;
  maxImportBytes: number;
  clock: Clock;
}

export interface ImportRequest {
  datasetId: string;
  source: CsvSource;
  encoding?: CsvEncoding | 'auto';
  delimiter?: ',' | '\t' | 'auto';
}

interface ColumnPlan {
  index: number;
  name: string;
  title: string;
  classification: FieldClassification | null;
  /** What is done to each cell; `redact` masks every detected span (unclassified columns). */
  applied: Action | 'redact';
  privacyType: PrivacyType;
  generalize: ReturnType<typeof resolveColumnAction>['generalize'];
  declaration: FieldDeclaration | undefined;
  profile: ColumnProfile;
  /** Masked values from the sample, shown when no detector produced samples. */
  maskedSamples: string[];
  /** The type later imports must match, when the column keeps its action. */
  expectedType: FieldType | undefined;
  inferrer: TypeInferrer;
  /** Cells past the sample in which identifiers were found and masked. */
  lateHits: number;
  scanMemo: ScanMemo;
}

/**
 * Scan results of a kept column's values, by value. Open columns are mostly categories
 * (district, service item, status) that repeat on every row; scanText is pure, so an
 * identical value already scanned gives the identical result and is not scanned again.
 * Bounded: once full, further new values are scanned without being remembered.
 */
class ScanMemo {
  /** Value → its redacted form, or null when nothing was found in it. */
  private readonly results = new Map<string, string | null>();

  /** The redacted value, or null when it holds no identifier other than of `ownType`. */
  check(value: string, ownType: PrivacyType): string | null {
    const known = this.results.get(value);
    if (known !== undefined) return known;
    const spans = scanText(value).filter((span) => span.type !== ownType);
    const result = spans.length > 0 ? redactText(value) : null;
    if (value.length <= SCAN_MEMO_MAX_CHARS && this.results.size < SCAN_MEMO_ENTRIES) this.results.set(value, result);
    return result;
  }
}

export async function importVersion(ctx: ImportContext, identity: StewardIdentity, request: ImportRequest) {
  const { db, policy, clock } = ctx;
  const [found] = await db.orm
    .select({ dataset: datasets, publisherSlug: publishers.slug })
    .from(datasets)
    .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
    .where(eq(datasets.id, request.datasetId));
  if (!found) throw new KaifangError('not_found', 'No such dataset.');
  assertActsFor(identity, found.publisherSlug, ['steward']);
  const { dataset } = found;
  if (dataset.openTier === 'not_open') {
    throw new KaifangError('unprocessable', 'This dataset is not open: its data is never imported for publication. Change its open tier first.');
  }
  const tier: OpenTier = dataset.openTier;

  const csv = await readCsv(request.source, { encoding: request.encoding, delimiter: request.delimiter, maxBytes: ctx.maxImportBytes });
  try {
    checkHeaderAgainstSchema(csv.header, dataset.fields);
    const rows = csv[Symbol.asyncIterator]();
    const sample: CsvRow[] = [];
    const profilers = csv.header.map((title) => new ColumnProfiler(title));
    while (sample.length < SAMPLE_ROWS) {
      const next = await rows.next();
      if (next.done) break;
      sample.push(next.value);
      next.value.values.forEach((value, index) => profilers[index]!.add(value));
    }
    const names = toColumnIdentifiers(csv.header);
    const plans = csv.header.map((title, index) =>
      planColumn(policy, tier, {
        index,
        title,
        name: names[index]!,
        profile: profilers[index]!.result(),
        maskedSamples: firstValues(sample, index).map((value) => maskGeneric(value)),
        declaration: dataset.declarations[title],
        previous: dataset.fields.find((field) => field.title === title),
      }),
    );
    const stored = plans.filter((plan) => plan.applied !== 'drop');
    const datasetKey = deriveDatasetKey(ctx.secret, dataset.id);
    const nowMs = clock.nowMs();

    return await db.orm.transaction(async (tx) => {
      // Locking the dataset row serialises imports of one dataset, so version numbers never collide.
      await db.rows(sql`select id from ${datasets} where ${datasets.id} = ${dataset.id} for update`, tx);
      const [{ next }] = (await db.rows<{ next: number }>(
        sql`select coalesce(max(${datasetVersions.number}), 0)::int + 1 as next from ${datasetVersions} where ${datasetVersions.datasetId} = ${dataset.id}`,
        tx,
      )) as [{ next: number }];
      const tableName = versionTableName(dataset.id, next);
      const qualified = `${STAGING_SCHEMA}.${quoteIdent(tableName)}`;
      await tx.execute(
        sql.raw(
          `create table ${qualified} (_kf_row bigint generated always as identity primary key${stored.map((plan) => `, ${quoteIdent(plan.name)} text`).join('')})`,
        ),
      );

      const columns = stored.map((plan) => quoteIdent(plan.name)).join(', ');
      const titles = stored.map((plan) => plan.title);
      // COPY on Postgres; PGlite takes batched INSERTs (see row-sink.ts).
      const raw = db.kind === 'postgres' ? postgresTransactionOf(tx) : undefined;
      const sink: RowSink = raw
        ? new CopySink(await raw.unsafe(`copy ${qualified} (${columns}) from stdin`).writable(), raw, titles)
        : new InsertSink(tx, sql.raw(`insert into ${qualified} (${columns}) select * from unnest(`), titles);
      let rowCount = 0;
      const values: (string | null)[] = new Array(stored.length);
      const take = (row: CsvRow, inSample: boolean) => {
        rowCount++;
        for (let position = 0; position < stored.length; position++) {
          values[position] = transformCell(stored[position]!, row, datasetKey, inSample);
        }
        return sink.add(values, row.line);
      };
      try {
        for (const row of sample) {
          const wait = take(row, true);
          if (wait) await wait;
        }
        for (let next = await rows.next(); !next.done; next = await rows.next()) {
          const wait = take(next.value, false);
          if (wait) await wait;
        }
        await sink.finish();
      } catch (error) {
        // A COPY in progress holds the connection: end it first, or the rollback would wait behind it.
        await sink.abort(error);
        throw error;
      }
      if (rowCount === 0) {
        throw new KaifangError('csv_invalid', 'The file has a header row but no data rows.', { errors: [{ location: 'line 2', message: 'no data rows' }] });
      }

      const fields = plans.map((plan) => toField(plan));
      const typed = fields.filter((field) => field.classification.action !== 'drop' && field.type !== 'string');
      if (typed.length > 0) await tx.execute(sql.raw(alterColumnTypesSql(qualified, typed)));

      const report = buildReport(plans, rowCount);
      const [version] = await tx
        .insert(datasetVersions)
        .values({
          datasetId: dataset.id,
          number: next,
          status: 'draft',
          tableName,
          rowCount,
          sourceEncoding: csv.encoding,
          classification: report,
          fields,
          createdBy: identity.subject,
          createdAt: new Date(nowMs),
        })
        .returning();
      await tx.update(datasets).set({ fields, updatedAt: new Date(nowMs) }).where(eq(datasets.id, dataset.id));
      await recordEvent(tx as Orm, {
        datasetId: dataset.id,
        versionNumber: next,
        action: 'version_imported',
        actor: identity.subject,
        details: { rowCount, unclassified: report.unclassified.length, encoding: csv.encoding },
        atMs: nowMs,
      });
      return version!;
    });
  } finally {
    await csv.close();
  }
}

function checkHeaderAgainstSchema(header: readonly string[], fields: readonly DatasetField[]) {
  if (fields.length === 0) return;
  const expected = fields.map((field) => field.title);
  const missing = expected.filter((title) => !header.includes(title));
  const extra = header.filter((title) => !expected.includes(title));
  if (missing.length === 0 && extra.length === 0 && expected.every((title, index) => header[index] === title)) return;
  const errors = [
    ...missing.map((title) => ({ location: `header "${title}"`, message: 'column of the dataset schema is missing from the file' })),
    ...extra.map((title) => ({ location: `header "${title}"`, message: 'column is not in the dataset schema' })),
  ];
  if (errors.length === 0) errors.push({ location: 'line 1', message: `columns must be in schema order: ${expected.join(', ')}` });
  throw new KaifangError('csv_invalid', 'The header row does not match the dataset schema set by its first import.', { errors });
}

function planColumn(
  policy: Policy,
  tier: OpenTier,
  column: {
    index: number;
    title: string;
    name: string;
    profile: ColumnProfile;
    maskedSamples: string[];
    declaration: FieldDeclaration | undefined;
    previous: DatasetField | undefined;
  },
): ColumnPlan {
  const { declaration, profile } = column;
  const { previous: _previous, ...described } = column;
  const base = { ...described, inferrer: new TypeInferrer(), lateHits: 0, scanMemo: new ScanMemo() };
  const expectedTypeFor = (action: Action) =>
    column.previous && column.previous.classification.action === action ? column.previous.type : (declaration?.fieldType as FieldType | undefined);

  if (declaration?.type) {
    const type = declaration.type as PrivacyType;
    const resolved = resolveOrExplain(policy, column.title, { type, role: declaration.role as Role | undefined, tier, requested: declaration.action as Action | undefined });
    return {
      ...base,
      classification: { type, role: resolved.role, action: resolved.action, source: 'declared' },
      applied: resolved.action,
      privacyType: type,
      generalize: resolved.generalize,
      expectedType: expectedTypeFor(resolved.action),
    };
  }
  const top = profile.detected[0];
  // Identifiers inside prose make the column free text (masked span by span), whatever
  // type the identifiers are; a column that is one identifier per cell takes its type.
  const detectedType: PrivacyType | undefined =
    profile.detected.length > 0 && profile.suggestedType === 'free_text' ? 'free_text' : top && top.share >= DETECTED_MIN_SHARE ? top.type : undefined;
  if (detectedType) {
    const resolved = resolveOrExplain(policy, column.title, { type: detectedType, tier });
    return {
      ...base,
      classification: { type: detectedType, role: resolved.role, action: resolved.action, source: 'detected' },
      applied: resolved.action,
      privacyType: detectedType,
      generalize: resolved.generalize,
      expectedType: expectedTypeFor(resolved.action),
    };
  }
  if (profile.detected.length === 0) {
    const resolved = resolveOrExplain(policy, column.title, { type: 'plain', tier });
    return {
      ...base,
      classification: { type: 'plain', role: resolved.role, action: resolved.action, source: 'no_identifiers' },
      applied: resolved.action,
      privacyType: 'plain',
      generalize: resolved.generalize,
      expectedType: expectedTypeFor(resolved.action),
    };
  }
  // Some cells hold identifiers, not enough to say what the column is: a steward must
  // declare it. Until then its values are stored with every detected span masked.
  return { ...base, classification: null, applied: 'redact', privacyType: 'free_text', generalize: undefined, expectedType: undefined };
}

function resolveOrExplain(policy: Policy, title: string, request: Parameters<typeof resolveColumnAction>[1]) {
  try {
    return resolveColumnAction(policy, request);
  } catch (error) {
    if (error instanceof KaifangError) {
      throw new KaifangError('unprocessable', `Column "${title}": ${error.message}`, { errors: [{ location: `column "${title}"`, message: error.message }] });
    }
    throw error;
  }
}

// Values that cannot hold an identifier: short numbers, dates, decimals. Skipping the
// scan for them keeps the import fast without weakening it.
const CANNOT_HOLD_IDENTIFIER = /^[\d.:\-/ ]{0,10}$/;

function transformCell(plan: ColumnPlan, row: CsvRow, datasetKey: Uint8Array, inSample: boolean): string | null {
  const raw = row.values[plan.index] ?? '';
  let out: string | null;
  if (plan.applied === 'redact') {
    out = raw.trim() === '' ? null : redactText(raw);
  } else {
    const result = applyAction(plan.applied, raw, { type: plan.privacyType, datasetKey, generalize: plan.generalize });
    if (result === DROPPED) return null;
    out = result === null || result === undefined ? null : String(result);
    // A kept text value is scanned once more, so an identifier that hides in a column
    // detected as plain (past the sample, say) is masked instead of published.
    if (out !== null && plan.applied === 'keep' && !CANNOT_HOLD_IDENTIFIER.test(out)) {
      const redacted = plan.scanMemo.check(out, plan.privacyType);
      if (redacted !== null) {
        out = redacted;
        if (!inSample) plan.lateHits++;
      }
    }
  }
  if (out === null || out.trim() === '') {
    plan.inferrer.add('');
    return null;
  }
  if (plan.expectedType && plan.expectedType !== 'string') {
    const parsed = parseValue(plan.expectedType, out);
    if (!parsed.ok) {
      throw new KaifangError('csv_invalid', 'A value does not fit the type of its field.', {
        errors: [{ location: cellLocation(row.line, plan.title), message: `value does not fit type ${plan.expectedType}: ${parsed.reason}` }],
      });
    }
    return String(parsed.value);
  }
  plan.inferrer.add(out);
  return out;
}

function toField(plan: ColumnPlan): DatasetField {
  const inferred = plan.expectedType ?? plan.inferrer.result().type;
  const type: FieldType = plan.applied === 'keep' || plan.applied === 'generalize' ? inferred : 'string';
  const classification: FieldClassification = plan.classification ?? { type: 'free_text', role: 'sensitive', action: 'mask', source: 'detected' };
  const isValueColumn = type !== 'string' || plan.applied === 'keep' || plan.applied === 'generalize';
  return {
    name: plan.name,
    title: plan.title,
    type,
    description: plan.declaration?.description ?? '',
    constraints: { required: false },
    filterable: plan.declaration?.filterable ?? (isValueColumn && plan.classification !== null),
    sortable: plan.declaration?.sortable ?? (type !== 'string' && plan.classification !== null),
    classification,
  };
}

function buildReport(plans: ColumnPlan[], rowCount: number): ClassificationReport {
  const columns: ColumnReport[] = plans.map((plan) => {
    const findings: string[] = [];
    if (plan.classification === null) {
      findings.push('Identifiers were found in some cells but not enough to classify the column; declare its type, role and action, then import again. Its values are stored with every identifier masked.');
    }
    if (plan.lateHits > 0) {
      findings.push(`Identifiers were found and masked in ${plan.lateHits} cells after the first ${SAMPLE_ROWS} rows; declare the column's type.`);
    }
    return {
      name: plan.name,
      title: plan.title,
      detected: plan.profile.detected.map((detected) => ({
        type: detected.type,
        hits: detected.wholeCellHits + detected.embeddedHits,
        share: round(detected.share),
        confidence: round(detected.confidence),
      })),
      declared: plan.declaration ? { type: plan.declaration.type, role: plan.declaration.role, action: plan.declaration.action } : null,
      classification: plan.lateHits > 0 ? null : plan.classification,
      appliedAction: plan.applied,
      samples: maskedSamples(plan),
      findings,
    };
  });
  return { rowCount, columns, unclassified: columns.filter((column) => column.classification === null).map((column) => column.title) };
}

function maskedSamples(plan: ColumnPlan): string[] {
  const detectedSamples = plan.profile.detected.flatMap((detected) => detected.samples);
  return (detectedSamples.length > 0 ? detectedSamples : plan.maskedSamples).slice(0, 3);
}

function firstValues(sample: readonly CsvRow[], index: number, count = 3): string[] {
  const values: string[] = [];
  for (const row of sample) {
    const value = row.values[index]?.trim();
    if (value) values.push(value);
    if (values.length === count) break;
  }
  return values;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
