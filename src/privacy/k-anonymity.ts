// k-anonymity over the declared quasi-identifiers: every combination of their (already
// transformed) values must be shared by at least k rows, or a person with a known birth
// year, district and sex can be picked out. Reports carry counts only, never the values,
// because the report is stored with the version and shown to reviewers.

export interface EquivalenceClassSummary {
  rowCount: number;
  classCount: number;
  /** Size of the smallest class; 0 when there are no rows. */
  smallestClassSize: number;
}

export interface KAnonymityReport extends EquivalenceClassSummary {
  k: number;
  satisfied: boolean;
  classesBelowK: number;
  rowsInClassesBelowK: number;
}

/**
 * Streaming counter: one map entry per distinct combination, so memory grows with the
 * number of classes, not rows. For tables too large for that, the caller runs the same
 * count as a SQL `GROUP BY` instead.
 */
export class EquivalenceClassCounter {
  readonly #columns: readonly string[];
  readonly #counts = new Map<string, number>();
  #rowCount = 0;

  constructor(quasiIdentifierColumns: readonly string[]) {
    this.#columns = [...quasiIdentifierColumns];
  }

  add(row: Readonly<Record<string, unknown>>): void {
    // JSON keeps null, '' and 0 apart, which a joined string would not.
    const key = JSON.stringify(this.#columns.map((column) => row[column] ?? null));
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#rowCount++;
  }

  summary(): EquivalenceClassSummary {
    let smallest = Number.POSITIVE_INFINITY;
    for (const count of this.#counts.values()) smallest = Math.min(smallest, count);
    return {
      rowCount: this.#rowCount,
      classCount: this.#counts.size,
      smallestClassSize: this.#counts.size === 0 ? 0 : smallest,
    };
  }

  report(k: number): KAnonymityReport {
    let classesBelowK = 0;
    let rowsInClassesBelowK = 0;
    for (const count of this.#counts.values()) {
      if (count < k) {
        classesBelowK++;
        rowsInClassesBelowK += count;
      }
    }
    return { ...this.summary(), k, satisfied: classesBelowK === 0, classesBelowK, rowsInClassesBelowK };
  }
}

export function smallestEquivalenceClass(
  rows: Iterable<Readonly<Record<string, unknown>>>,
  quasiIdentifierColumns: readonly string[],
): EquivalenceClassSummary {
  const counter = new EquivalenceClassCounter(quasiIdentifierColumns);
  for (const row of rows) counter.add(row);
  return counter.summary();
}

export function checkKAnonymity(
  rows: Iterable<Readonly<Record<string, unknown>>>,
  quasiIdentifierColumns: readonly string[],
  k: number,
): KAnonymityReport {
  const counter = new EquivalenceClassCounter(quasiIdentifierColumns);
  for (const row of rows) counter.add(row);
  return counter.report(k);
}
