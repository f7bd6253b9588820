/** Replaces the value by null, for cells a rule (small counts, a flagged row) withholds. */
export function suppress(): null {
  return null;
}
