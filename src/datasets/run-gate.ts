// The publication gate. It fails closed: a version is publishable only when every rule
// below finds nothing. Findings name the column (by its source header) and the rule,
// never a value. It reads the stored rows, which are already transformed: the gate
// checks what would be published, not what was imported.
import { sql } from 'drizzle-orm';
import type { Database, Orm } from '../db/client';
import { scanText, type Policy } from '../privacy/index';
import type { DatasetField } from './field-schema';
import type { GateFinding, GateReport } from './reports';
import type { datasets, datasetVersions } from './tables';
import { quoteIdent } from './version-table';

/** Rows read per query while scanning stored values. */
const SCAN_BATCH_ROWS = 5000;
/** Values pseudonymized by Kaifang are HMAC digests; scanning them would only find chance digit runs. */
const NOT_SCANNED_ACTIONS = new Set(['pseudonymize', 'drop', 'suppress']);

export interface GateSubject {
  dataset: typeof datasets.$inferSelect;
  version: typeof datasetVersions.$inferSelect;
  /** Schema-qualified, quoted table name of the version. */
  table: string;
}

export async function runGate(db: Database, tx: Orm, policy: Policy, subject: GateSubject, checkedBy: string, nowMs: number): Promise<GateReport> {
  const { dataset, version } = subject;
  const fields: DatasetField[] = version.fields;
  const findings: GateFinding[] = [];

  if (dataset.openTier === 'not_open') findings.push({ rule: 'tier_not_open', message: 'The dataset is not open; it can never be published.' });
  if (dataset.dataGrade !== 'general') {
    findings.push({ rule: 'grade_blocks_opening', message: `Data graded "${dataset.dataGrade}" cannot be opened.` });
  }
  for (const title of version.classification.unclassified) {
    findings.push({ rule: 'unclassified_column', column: title, message: 'The column is not classified; declare its type, role and action and import again.' });
  }
  for (const field of fields) {
    const { role, action } = field.classification;
    if ((role === 'state_secret' || role === 'commercial_secret') && action !== 'drop') {
      findings.push({ rule: 'secret_in_output', column: field.title, message: `A ${role.replace('_', ' ')} field would be published; it must be dropped.` });
    }
  }

  findings.push(...(await scanStoredValues(db, tx, subject.table, fields)));

  let kAnonymity: GateReport['kAnonymity'] = null;
  if (dataset.personLevel) {
    // Over the quasi-identifiers the steward declared: they know which columns an
    // outsider could link to other sources (district, age band, date), detectors do not.
    const quasi = fields.filter(
      (field) => field.classification.source === 'declared' && field.classification.role === 'quasi_identifier' && field.classification.action !== 'drop',
    );
    const smallestClass = quasi.length === 0 ? null : await smallestClassSize(db, tx, subject.table, quasi);
    kAnonymity = { k: policy.k, quasiIdentifiers: quasi.map((field) => field.title), smallestClass };
    if (smallestClass !== null && smallestClass < policy.k) {
      findings.push({
        rule: 'k_anonymity',
        message: `Some combination of the quasi-identifiers (${quasi.map((field) => field.title).join(', ')}) is shared by only ${smallestClass} rows; the policy needs at least ${policy.k}. Generalize or drop a quasi-identifier.`,
      });
    }
  }
  return { passed: findings.length === 0, checkedAt: new Date(nowMs).toISOString(), checkedBy, findings, kAnonymity };
}

async function scanStoredValues(db: Database, tx: Orm, table: string, fields: DatasetField[]): Promise<GateFinding[]> {
  const scanned = fields.filter((field) => field.type === 'string' && !NOT_SCANNED_ACTIONS.has(field.classification.action));
  if (scanned.length === 0) return [];
  const hits = new Map<string, Map<string, number>>();
  const columns = scanned.map((field) => quoteIdent(field.name)).join(', ');
  let after = 0;
  for (;;) {
    const rows = await db.rows<Record<string, string | null> & { _kf_row: string | number }>(
      sql`select _kf_row, ${sql.raw(columns)} from ${sql.raw(table)} where _kf_row > ${after} order by _kf_row limit ${SCAN_BATCH_ROWS}`,
      tx,
    );
    for (const row of rows) {
      for (const field of scanned) {
        const value = row[field.name];
        if (!value) continue;
        for (const span of scanText(value)) {
          if (span.type === field.classification.type) continue;
          const perType = hits.get(field.title) ?? new Map<string, number>();
          perType.set(span.type, (perType.get(span.type) ?? 0) + 1);
          hits.set(field.title, perType);
        }
      }
    }
    if (rows.length < SCAN_BATCH_ROWS) break;
    after = Number(rows[rows.length - 1]!._kf_row);
  }
  return [...hits].flatMap(([column, perType]) =>
    [...perType].map(([type, count]) => ({
      rule: 'undeclared_identifier' as const,
      column,
      message: `Stored values contain ${count} occurrence(s) of ${type}, which the column is not declared as.`,
    })),
  );
}

async function smallestClassSize(db: Database, tx: Orm, table: string, quasi: DatasetField[]): Promise<number | null> {
  const columns = quasi.map((field) => quoteIdent(field.name)).join(', ');
  const [row] = await db.rows<{ smallest: number | null }>(
    sql`select min(size)::int as smallest from (select count(*) as size from ${sql.raw(table)} group by ${sql.raw(columns)}) classes`,
    tx,
  );
  return row?.smallest ?? null;
}
