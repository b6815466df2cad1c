/**
 * A map that keeps at most `capacity` entries, dropping the oldest insertion first.
 *
 * First-in-first-out rather than LRU on purpose: a hit costs one `Map.get`, with no
 * re-insertion on the hot path, and the bound is all that matters for memory.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.#entries.size >= this.capacity && !this.#entries.has(key)) {
      // Map iteration follows insertion order, so the first key is the oldest.
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
    this.#entries.set(key, value);
  }

  get size(): number {
    return this.#entries.size;
  }
}
