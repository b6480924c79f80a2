// Builds EventChunks of CHUNK_ROWS events column by column (typed arrays, no per-event objects).

import { CHUNK_ROWS, type EventChunk } from './schema';

export class ChunkBuilder {
  private cur: EventChunk;
  private readonly done: EventChunk[] = [];
  /** Full chunks handed back by the caller once stored: their arrays are filled again. */
  private readonly spare: EventChunk[] = [];
  private nextIndex = 0;

  constructor(private readonly capacity = CHUNK_ROWS) {
    this.cur = this.fresh();
  }

  private fresh(): EventChunk {
    const reused = this.spare.pop();
    if (reused) {
      reused.index = this.nextIndex++;
      reused.rows = 0;
      return reused;
    }
    const n = this.capacity;
    return {
      index: this.nextIndex++,
      rows: 0,
      customer: new Uint32Array(n),
      order: new Uint32Array(n),
      item: new Uint32Array(n),
      time: new Float64Array(n),
      quantity: new Float32Array(n),
      amount: new Float64Array(n),
      rating: new Float32Array(n),
      eventType: new Uint8Array(n),
    };
  }

  add(customer: number, order: number, item: number, time: number, quantity: number, amount: number, rating: number, eventType: number): void {
    const c = this.cur;
    const r = c.rows;
    c.customer[r] = customer;
    c.order[r] = order;
    c.item[r] = item;
    c.time[r] = time;
    c.quantity[r] = quantity;
    c.amount[r] = amount;
    c.rating[r] = rating;
    c.eventType[r] = eventType;
    c.rows = r + 1;
    if (c.rows === this.capacity) {
      this.done.push(c);
      this.cur = this.fresh();
    }
  }

  /** Moves the partial chunk (trimmed to its length) to the completed list. */
  flush(): void {
    const c = this.cur;
    if (c.rows === 0) return;
    const n = c.rows;
    this.done.push({
      index: c.index,
      rows: n,
      customer: c.customer.slice(0, n),
      order: c.order.slice(0, n),
      item: c.item.slice(0, n),
      time: c.time.slice(0, n),
      quantity: c.quantity.slice(0, n),
      amount: c.amount.slice(0, n),
      rating: c.rating.slice(0, n),
      eventType: c.eventType.slice(0, n),
    });
    this.cur = this.fresh();
  }

  /**
   * Hands back a chunk from take() that the caller no longer needs (stored, and no reference kept),
   * so the next chunk fills its arrays: fresh memory is slow to first touch on small machines.
   */
  recycle(chunk: EventChunk): void {
    if (chunk.customer.length === this.capacity) this.spare.push(chunk);
  }

  /** Completed chunks since the last call, handed over to the caller. */
  take(): EventChunk[] {
    return this.done.splice(0, this.done.length);
  }
}
