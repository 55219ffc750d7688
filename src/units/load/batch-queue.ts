/**
 * A bounded async queue between the load unit's file reader (producer) and its downstream workers
 * (consumers): `push` waits while the queue is full, so memory stays at about capacity × batch size whatever
 * the dump size; `pop` waits for an item and returns undefined once the queue is closed and drained.
 */
export class BatchQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: ((v: T | undefined) => void)[] = [];
  private readonly pushers: (() => void)[] = [];
  private closed = false;

  constructor(private readonly capacity: number) {}

  /** Waits for room, then enqueues. Returns false (item dropped) if the queue was closed. */
  async push(item: T): Promise<boolean> {
    while (!this.closed && this.items.length >= this.capacity && this.takers.length === 0) {
      await new Promise<void>((r) => this.pushers.push(r));
    }
    if (this.closed) return false;
    const taker = this.takers.shift();
    if (taker) taker(item);
    else this.items.push(item);
    return true;
  }

  async pop(): Promise<T | undefined> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.pushers.shift()?.();
      return item;
    }
    if (this.closed) return undefined;
    return new Promise((r) => this.takers.push(r));
  }

  /** No more items: waiting consumers get undefined once the queue is empty; waiting producers are released. */
  close(): void {
    this.closed = true;
    for (const t of this.takers.splice(0)) t(undefined);
    for (const p of this.pushers.splice(0)) p();
  }

  /** Removes and returns everything still queued (abort path). */
  drain(): T[] {
    return this.items.splice(0);
  }
}
