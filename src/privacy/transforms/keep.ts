import type { CellValue } from './cell';

/** Publishes the value as it is; only lawful where the policy says the type is not personal. */
export function keep(value: CellValue): string | number | null {
  return value ?? null;
}
