/**
 * A small LRU map with a fixed capacity. A Map keeps insertion order, so re-inserting
 * on read moves an entry to the young end and the oldest entry is the first key.
 * Bounded on purpose: an unbounded cache of keys is a memory leak an attacker can drive.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as K;
      this.#entries.delete(oldest);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Removes every entry `drop` answers true for (revocations: rare, so a scan is fine). */
  deleteWhere(drop: (value: V, key: K) => boolean): number {
    let dropped = 0;
    for (const [key, value] of this.#entries) {
      if (drop(value, key)) {
        this.#entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.#entries.clear();
  }
}
