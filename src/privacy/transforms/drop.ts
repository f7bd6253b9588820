import { DROPPED, type Dropped } from './cell';

/** Removes the column: the publisher leaves it out of the table schema, not just the values. */
export function drop(): Dropped {
  return DROPPED;
}
