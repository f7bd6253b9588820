// Shared loop for pattern-based `find`: patterns run on width-folded text (same offsets as
// the original), every match is validated, and a rejected match is retried one character
// later so a failed long candidate cannot hide a valid shorter one behind it.
import { foldWidth } from '../normalize';
import type { DetectorType, Span } from '../types';

export interface MatchCandidate {
  /** The matched text (group `v` when the pattern has one), width-folded. */
  value: string;
  start: number;
  end: number;
  folded: string;
}

export function findMatches(
  text: string,
  type: DetectorType,
  pattern: RegExp,
  accept: (candidate: MatchCandidate) => boolean,
): Span[] {
  const folded = foldWidth(text);
  const regex = borrowRegex(pattern);
  const spans: Span[] = [];
  try {
    let match: RegExpExecArray | null;
    while ((match = regex.exec(folded)) !== null) {
      const range = match.indices?.groups?.v ?? [match.index, match.index + match[0].length];
      const [start, end] = range;
      if (end > start && accept({ value: folded.slice(start, end), start, end, folded })) {
        spans.push({ type, start, end });
      } else {
        regex.lastIndex = match.index + 1;
      }
    }
  } finally {
    returnRegex(pattern, regex);
  }
  return spans;
}

// Scanning runs on every kept cell of an import, so compiling a private RegExp per call
// (it keeps lastIndex, so the caller's global pattern cannot be used) was a measurable
// share of it. One compiled copy per pattern is kept and lent out; a nested call with the
// same pattern while it is lent (an accept callback scanning again) gets a fresh copy.
// Keyed by the detectors' module-level patterns, so the map cannot grow with the input.
const idleCopies = new WeakMap<RegExp, RegExp>();

function borrowRegex(pattern: RegExp): RegExp {
  const idle = idleCopies.get(pattern);
  if (idle !== undefined) {
    idleCopies.delete(pattern);
    idle.lastIndex = 0;
    return idle;
  }
  return new RegExp(pattern.source, pattern.flags.includes('d') ? pattern.flags : `${pattern.flags}d`);
}

function returnRegex(pattern: RegExp, copy: RegExp): void {
  if (!idleCopies.has(pattern)) idleCopies.set(pattern, copy);
}

/** Whether `cue` occurs within `windowChars` characters before `start`. */
export function hasCueBefore(folded: string, start: number, cue: RegExp, windowChars: number): boolean {
  return cue.test(folded.slice(Math.max(0, start - windowChars), start));
}

/** Cheap pre-check before running digit patterns; counts full-width digits too. */
export function hasDigit(text: string): boolean {
  return /[\d\uff10-\uff19]/.test(text);
}
