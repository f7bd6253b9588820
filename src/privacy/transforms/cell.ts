// Cell values as transforms see them. A dropped column has no value at all, which is
// different from null (a suppressed cell), so it gets its own marker.

export type CellValue = string | number | null | undefined;

/** Marks a cell whose column is removed from the published table. */
export const DROPPED: unique symbol = Symbol('kaifang.privacy.dropped');
export type Dropped = typeof DROPPED;

export type CellOutput = string | number | null | Dropped;

/** A cell with nothing in it after trimming; transforms leave those as null. */
export function isEmptyCell(value: CellValue): value is null | undefined | '' {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}
