// One pass of every detector over a string, reduced to non-overlapping spans. Overlaps
// are normal (a mobile inside an e-mail, a mobile-shaped tail of a spaced card number):
// the longest span wins because it describes the whole value, then the more specific type.
import { DETECTORS } from './detectors/index';
import { DETECTOR_TYPES, type Span } from './types';

const RANK = new Map(DETECTOR_TYPES.map((type, index) => [type, index]));

/** Every detected occurrence in `text`, sorted by start, no two overlapping. */
export function scanText(text: string): Span[] {
  if (text.length === 0) return [];
  const candidates: Span[] = [];
  for (const detector of DETECTORS) {
    const found = detector.find(text);
    for (const span of found) candidates.push(span);
  }
  if (candidates.length <= 1) return candidates;
  candidates.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || RANK.get(a.type)! - RANK.get(b.type)! || a.start - b.start,
  );
  const accepted: Span[] = [];
  for (const candidate of candidates) {
    if (accepted.every((span) => candidate.end <= span.start || candidate.start >= span.end)) accepted.push(candidate);
  }
  return accepted.sort((a, b) => a.start - b.start);
}
