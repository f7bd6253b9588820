// Column profiling at import: one pass, one cell at a time, so a file of millions of rows
// is profiled in constant memory. The result goes to the steward and into the stored
// report, so samples are masked here and raw values never leave this object.
import { DETECTORS } from './detectors/index';
import { normalizeForDetection } from './normalize';
import { scanText } from './scan';
import { maskValue } from './transforms/mask';
import type { Detector, DetectorType, Label, PrivacyType } from './types';

export const MAX_SAMPLES = 3;
// Below this share of whole-cell hits a type is listed but not suggested as the column's type.
const SUGGEST_MIN_SHARE = 0.3;
// Cells this long, or containing sentence punctuation, read as prose rather than values.
const FREE_TEXT_MIN_CHARS = 30;
const SENTENCE_PUNCTUATION = /[，。；！？、,;!?]/;

// How far one whole-cell hit can be trusted: a checksum makes a chance match rare, a bare
// shape (a name-like word, an E + 8 digits code) does not.
const SHAPE_TRUST: Record<DetectorType, number> = {
  resident_id: 1,
  credit_code: 1,
  bank_card: 0.9,
  mobile: 0.95,
  landline: 0.9,
  email: 0.95,
  passport: 0.7,
  hk_macau_permit: 0.7,
  licence_plate: 0.9,
  address: 0.85,
  person_name: 0.8,
};
const HINT_BONUS = 0.15;

// Declared types the profiler can suggest from header plus value shape; they have no
// detector because outside their column they are ordinary numbers and dates.
const DECLARED_HINTS: { type: PrivacyType; header: RegExp; value: RegExp }[] = [
  {
    type: 'birth_date',
    header: /出生|生日|birth|dob/i,
    value: /^(?:19|20)\d{2}(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?|\d{4})$/,
  },
  { type: 'age', header: /年龄|岁数|^age$|_age$|age_/i, value: /^\d{1,3}(?:岁)?$/ },
  {
    type: 'coordinates',
    header: /经度|纬度|坐标|经纬|lng|lon|lat|coord/i,
    value: /^-?\d{1,3}\.\d+(?:\s*[,，;\s]\s*-?\d{1,3}\.\d+)?$/,
  },
];

export interface DetectedColumnType {
  type: DetectorType;
  label: Label;
  /** Cells that are entirely a value of this type. */
  wholeCellHits: number;
  /** Cells with at least one occurrence inside longer text. */
  embeddedHits: number;
  /** (wholeCellHits + embeddedHits) / non-empty cells. */
  share: number;
  /** 0..1: how sure the profiler is that the column holds this type. */
  confidence: number;
  /** Up to three masked examples; never raw values. */
  samples: string[];
}

export interface ColumnProfile {
  column: string;
  cells: number;
  nonEmptyCells: number;
  /** Most confident first. */
  detected: DetectedColumnType[];
  /** The type to pre-fill for the steward; `free_text` when identifiers hide inside text. */
  suggestedType: PrivacyType;
}

interface Tally {
  whole: number;
  embedded: number;
  samples: string[];
}

export class ColumnProfiler {
  readonly column: string;
  readonly #cellDetectors: readonly Detector[];
  readonly #hinted: ReadonlySet<DetectorType>;
  readonly #declaredHints: typeof DECLARED_HINTS;
  readonly #tallies = new Map<DetectorType, Tally>();
  readonly #declaredHits = new Map<PrivacyType, number>();
  #cells = 0;
  #nonEmpty = 0;
  #proseCells = 0;
  #cellsWithEmbeddedHits = 0;

  constructor(columnName: string) {
    this.column = columnName;
    this.#hinted = new Set(DETECTORS.filter((d) => d.columnHint.test(columnName)).map((d) => d.type));
    // A bare 2-4 character word is only a name in a column whose header says so.
    this.#cellDetectors = DETECTORS.filter((d) => d.type !== 'person_name' || this.#hinted.has('person_name'));
    this.#declaredHints = DECLARED_HINTS.filter((hint) => hint.header.test(columnName));
  }

  add(value: unknown): void {
    this.#cells++;
    if (value === null || value === undefined) return;
    const text = String(value).trim();
    if (text.length === 0) return;
    this.#nonEmpty++;

    const normalized = normalizeForDetection(text);
    for (const hint of this.#declaredHints) {
      if (hint.value.test(normalized) || hint.value.test(text)) {
        this.#declaredHits.set(hint.type, (this.#declaredHits.get(hint.type) ?? 0) + 1);
      }
    }
    const whole = this.#cellDetectors.find((detector) => detector.validate(text));
    if (whole !== undefined) {
      this.#record(whole.type, 'whole', text);
      return;
    }
    if (text.length >= FREE_TEXT_MIN_CHARS || SENTENCE_PUNCTUATION.test(text)) this.#proseCells++;
    const spans = scanText(text);
    if (spans.length === 0) return;
    this.#cellsWithEmbeddedHits++;
    const seen = new Set<DetectorType>();
    for (const span of spans) {
      if (seen.has(span.type)) continue;
      seen.add(span.type);
      this.#record(span.type, 'embedded', text.slice(span.start, span.end));
    }
  }

  #record(type: DetectorType, kind: 'whole' | 'embedded', matched: string): void {
    let tally = this.#tallies.get(type);
    if (tally === undefined) {
      tally = { whole: 0, embedded: 0, samples: [] };
      this.#tallies.set(type, tally);
    }
    tally[kind]++;
    if (tally.samples.length < MAX_SAMPLES) {
      const masked = maskValue(matched, type);
      if (!tally.samples.includes(masked)) tally.samples.push(masked);
    }
  }

  result(): ColumnProfile {
    const nonEmpty = this.#nonEmpty;
    const detected: DetectedColumnType[] = [];
    for (const [type, tally] of this.#tallies) {
      const wholeShare = nonEmpty === 0 ? 0 : tally.whole / nonEmpty;
      const embeddedShare = nonEmpty === 0 ? 0 : tally.embedded / nonEmpty;
      const bonus = this.#hinted.has(type) ? HINT_BONUS : 0;
      const confidence = Math.min(1, (wholeShare + 0.5 * embeddedShare) * SHAPE_TRUST[type] + bonus);
      detected.push({
        type,
        label: DETECTORS.find((d) => d.type === type)!.label,
        wholeCellHits: tally.whole,
        embeddedHits: tally.embedded,
        share: nonEmpty === 0 ? 0 : (tally.whole + tally.embedded) / nonEmpty,
        confidence: Math.round(confidence * 1000) / 1000,
        samples: [...tally.samples],
      });
    }
    detected.sort((a, b) => b.confidence - a.confidence || b.share - a.share);
    return {
      column: this.column,
      cells: this.#cells,
      nonEmptyCells: nonEmpty,
      detected,
      suggestedType: this.#suggest(detected),
    };
  }

  #suggest(detected: DetectedColumnType[]): PrivacyType {
    const nonEmpty = this.#nonEmpty;
    if (nonEmpty === 0) return 'plain';
    const best = detected.find((d) => d.wholeCellHits / nonEmpty >= SUGGEST_MIN_SHARE);
    if (best !== undefined) return best.type;
    // Any identifier inside text makes the column free text: its spans must be redacted.
    if (this.#cellsWithEmbeddedHits > 0 || this.#proseCells / nonEmpty >= 0.5) return 'free_text';
    for (const hint of this.#declaredHints) {
      if ((this.#declaredHits.get(hint.type) ?? 0) / nonEmpty >= 0.8) return hint.type;
    }
    // A few whole-cell identifiers in an otherwise plain column still need a decision.
    return detected[0]?.type ?? 'plain';
  }
}
