/**
 * What {@link ExpiryQueue} orders: the earliest `expiresAt` first, and among equal expiries the
 * lowest `seq` (the older write). `slot` is the item's place in the queue, kept by the queue
 * itself (`-1` when the item is not queued); callers only read it.
 *
 * @example
 * ```ts
 * const entry: Expiring = { expiresAt: Date.now() + 60_000, seq: 1, slot: -1 }
 * ```
 */
export interface Expiring {
  expiresAt: number;
  seq: number;
  slot: number;
}

/**
 * A binary min-heap of {@link Expiring} items that knows where each item sits, so that an item
 * whose expiry changed, or that was deleted, is moved or removed in O(log n) without a search.
 * `MemorySessionStore` keeps its entries here: the head is always the entry closest to expiry,
 * which is both the next one to expire and the one to evict when the store is full.
 *
 * @example
 * ```ts
 * const queue = new ExpiryQueue<Expiring>()
 * queue.push(entry)
 * entry.expiresAt += 60_000
 * queue.update(entry)
 * queue.peek() // the item closest to expiry
 * ```
 */
export class ExpiryQueue<T extends Expiring> {
  readonly #heap: T[] = [];

  /** Number of queued items. */
  get size(): number {
    return this.#heap.length;
  }

  /** The item closest to expiry, left in the queue; `undefined` when the queue is empty. */
  peek(): T | undefined {
    return this.#heap[0];
  }

  /** Queues `item`, which must not be queued already. */
  push(item: T): void {
    item.slot = this.#heap.length;
    this.#heap.push(item);
    this.#up(item.slot);
  }

  /** Moves a queued `item` to its place after its `expiresAt` or `seq` changed. */
  update(item: T): void {
    this.#down(this.#up(item.slot));
  }

  /** Takes a queued `item` out of the queue. */
  remove(item: T): void {
    const last = this.#heap.pop() as T;
    if (last !== item) {
      // Fill the hole with the last item, then let it find its place in either direction.
      this.#heap[item.slot] = last;
      last.slot = item.slot;
      this.#down(this.#up(last.slot));
    }
    item.slot = -1;
  }

  /** Sifts the item at `slot` towards the head while it sorts before its parent; returns where it stopped. */
  #up(slot: number): number {
    const heap = this.#heap;
    const item = heap[slot] as T;
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 1;
      const parent = heap[parentSlot] as T;
      if (!before(item, parent)) break;
      heap[slot] = parent;
      parent.slot = slot;
      slot = parentSlot;
    }
    heap[slot] = item;
    item.slot = slot;
    return slot;
  }

  /** Sifts the item at `slot` away from the head while a child sorts before it. */
  #down(slot: number): void {
    const heap = this.#heap;
    const item = heap[slot] as T;
    for (;;) {
      let childSlot = 2 * slot + 1;
      if (childSlot >= heap.length) break;
      const right = childSlot + 1;
      if (right < heap.length && before(heap[right] as T, heap[childSlot] as T)) childSlot = right;
      const child = heap[childSlot] as T;
      if (!before(child, item)) break;
      heap[slot] = child;
      child.slot = slot;
      slot = childSlot;
    }
    heap[slot] = item;
    item.slot = slot;
  }
}

function before(a: Expiring, b: Expiring): boolean {
  return a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.seq < b.seq);
}
