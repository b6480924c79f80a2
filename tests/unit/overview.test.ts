import { describe, expect, it } from 'vitest';
import { type Dictionaries, type EventChunk, EVENT_TYPES, type EventType } from '../../src/lib/data/schema';
import { OverviewAccumulator, monthIndex, monthLabel } from '../../src/lib/features/overview';

interface Ev {
  c: number;
  o: number;
  i: number;
  t: string | null;
  q: number;
  a: number;
  type: EventType;
}

function chunk(index: number, events: Ev[]): EventChunk {
  const n = events.length;
  const ch: EventChunk = {
    index,
    rows: n,
    customer: new Uint32Array(n),
    order: new Uint32Array(n),
    item: new Uint32Array(n),
    time: new Float64Array(n),
    quantity: new Float32Array(n),
    amount: new Float64Array(n),
    rating: new Float32Array(n).fill(NaN),
    eventType: new Uint8Array(n),
  };
  events.forEach((e, r) => {
    ch.customer[r] = e.c;
    ch.order[r] = e.o;
    ch.item[r] = e.i;
    ch.time[r] = e.t === null ? NaN : Date.parse(e.t);
    ch.quantity[r] = e.q;
    ch.amount[r] = e.a;
    ch.eventType[r] = EVENT_TYPES.indexOf(e.type);
  });
  return ch;
}

function dicts(customers: number, orders: number, items: string[], names: string[]): Dictionaries {
  return {
    customers: Array.from({ length: customers }, (_, i) => `cust${i}`),
    orders: Array.from({ length: orders }, (_, i) => `o${i + 1}`),
    items,
    itemNames: names,
    itemCategory: new Int32Array(items.length).fill(-1),
    categories: [],
  };
}

describe('OverviewAccumulator', () => {
  // Customers A=0, B=1, C=2; orders o1..o5 = 0..4; items x=0, y=1, z=2.
  const first: Ev[] = [
    { c: 0, o: 0, i: 0, t: '2025-01-15T10:00:00Z', q: 2, a: 20, type: 'purchase' },
    { c: 0, o: 0, i: 1, t: '2025-01-15T10:00:00Z', q: 1, a: 5, type: 'purchase' },
    { c: 2, o: 4, i: 2, t: '2025-01-20T08:00:00Z', q: 1, a: NaN, type: 'view' },
    { c: 0, o: 1, i: 0, t: '2025-03-02T00:00:00Z', q: 1, a: 10, type: 'purchase' },
  ];
  const second: Ev[] = [
    { c: 1, o: 2, i: 1, t: '2025-03-31T23:59:00Z', q: 3, a: 15, type: 'purchase' },
    { c: 1, o: 3, i: 1, t: '2025-04-02T12:00:00Z', q: -1, a: -5, type: 'return' },
    { c: 2, o: 4, i: 2, t: '2025-03-05T09:00:00Z', q: 1, a: NaN, type: 'cart' },
    { c: 0, o: 1, i: 2, t: '2025-03-02T00:00:00Z', q: NaN, a: NaN, type: 'purchase' },
  ];

  it('computes a small hand-worked case over two chunks', () => {
    const acc = new OverviewAccumulator({ customers: 3, orders: 5, items: 3 });
    acc.add(chunk(0, first));
    acc.add(chunk(1, second));
    const o = acc.result(dicts(3, 5, ['x', 'y', 'z'], ['Ex', 'Why', '']));

    expect(o.customers).toBe(3);
    // Orders: o1, o2 (A) and o3 (B); the return note o4 and C's view/cart key o5 are not orders.
    expect(o.orders).toBe(3);
    expect(o.items).toBe(3);
    // 20 + 5 + 10 + 15 − 5; NaN amounts ignored.
    expect(o.revenue).toBe(45);
    expect(o.hasRevenue).toBe(true);
    expect(o.hasTime).toBe(true);
    expect(o.firstTime).toBe(Date.parse('2025-01-15T10:00:00Z'));
    expect(o.lastTime).toBe(Date.parse('2025-04-02T12:00:00Z'));
    // A has 2 orders, B 1, C none: 1 of 2 buyers repeats.
    expect(o.repeatCustomerRate).toBe(0.5);
    expect(o.revenueByMonth).toEqual([
      { month: '2025-01', revenue: 25, orders: 1, events: 3 },
      { month: '2025-02', revenue: 0, orders: 0, events: 0 },
      { month: '2025-03', revenue: 25, orders: 2, events: 4 },
      { month: '2025-04', revenue: -5, orders: 0, events: 1 },
    ]);
    expect(o.ordersPerCustomer.map((b) => [b.label, b.customers])).toEqual([
      ['1', 1],
      ['2', 1],
      ['3', 0],
      ['4', 0],
      ['5', 0],
      ['6–10', 0],
      ['11–20', 0],
      ['21+', 0],
    ]);
    expect(o.topItems).toEqual([
      { item: 0, id: 'x', name: 'Ex', revenue: 30, quantity: 3, orders: 2, events: 2 },
      { item: 1, id: 'y', name: 'Why', revenue: 15, quantity: 3, orders: 2, events: 3 },
      { item: 2, id: 'z', name: '', revenue: 0, quantity: 0, orders: 1, events: 3 },
    ]);
  });

  it('gives the same result whatever the chunking', () => {
    const all = [...first, ...second];
    const one = new OverviewAccumulator({ customers: 3, orders: 5, items: 3 });
    one.add(chunk(0, all));
    const many = new OverviewAccumulator({ customers: 3, orders: 5, items: 3 });
    all.forEach((e, k) => many.add(chunk(k, [e])));
    const d = dicts(3, 5, ['x', 'y', 'z'], ['', '', '']);
    expect(many.result(d)).toEqual(one.result(d));
  });

  it('subtracts returns even when the source gave them a positive amount', () => {
    const acc = new OverviewAccumulator({ customers: 1, orders: 2, items: 1 });
    acc.add(
      chunk(0, [
        { c: 0, o: 0, i: 0, t: '2025-05-01T00:00:00Z', q: 2, a: 40, type: 'purchase' },
        { c: 0, o: 1, i: 0, t: '2025-05-03T00:00:00Z', q: 1, a: 20, type: 'return' },
      ]),
    );
    const o = acc.result(dicts(1, 2, ['x'], ['']));
    expect(o.revenue).toBe(20);
    expect(o.topItems[0].quantity).toBe(1);
    expect(o.orders).toBe(1);
  });

  it('zero-fills months across a year boundary', () => {
    const acc = new OverviewAccumulator({ customers: 1, orders: 2, items: 1 });
    acc.add(
      chunk(0, [
        { c: 0, o: 1, i: 0, t: '2025-02-28T23:59:59Z', q: 1, a: 7, type: 'purchase' },
        { c: 0, o: 0, i: 0, t: '2024-11-01T00:00:00Z', q: 1, a: 3, type: 'purchase' },
      ]),
    );
    const o = acc.result(dicts(1, 2, ['x'], ['']));
    expect(o.revenueByMonth.map((m) => [m.month, m.revenue, m.orders])).toEqual([
      ['2024-11', 3, 1],
      ['2024-12', 0, 0],
      ['2025-01', 0, 0],
      ['2025-02', 7, 1],
    ]);
  });

  it('bins customers by distinct orders: 1…5, 6–10, 11–20, 21+', () => {
    // Customer k places orderCounts[k] orders, each of two lines (lines must not double-count).
    const orderCounts = [1, 2, 3, 4, 5, 6, 10, 11, 20, 21, 40, 7];
    const events: Ev[] = [];
    let o = 0;
    orderCounts.forEach((n, c) => {
      for (let j = 0; j < n; j++, o++) {
        events.push({ c, o, i: 0, t: '2025-06-01T10:00:00Z', q: 1, a: 1, type: 'purchase' });
        events.push({ c, o, i: 1, t: '2025-06-01T10:00:00Z', q: 1, a: 1, type: 'purchase' });
      }
    });
    const acc = new OverviewAccumulator({ customers: 13, orders: o, items: 2 });
    acc.add(chunk(0, events));
    const r = acc.result(dicts(13, o, ['a', 'b'], ['', '']));
    expect(r.ordersPerCustomer.map((b) => [b.label, b.from, b.to, b.customers])).toEqual([
      ['1', 1, 1, 1],
      ['2', 2, 2, 1],
      ['3', 3, 3, 1],
      ['4', 4, 4, 1],
      ['5', 5, 5, 1],
      ['6–10', 6, 10, 3],
      ['11–20', 11, 20, 2],
      ['21+', 21, Infinity, 2],
    ]);
    expect(r.orders).toBe(130);
    // Customer 12 has no events at all; 11 of the 12 buyers repeat.
    expect(r.customers).toBe(12);
    expect(r.repeatCustomerRate).toBeCloseTo(11 / 12, 12);
    expect(r.topItems.map((t) => t.orders)).toEqual([130, 130]);
  });

  it('ranks items by event count when there is no revenue and handles data without time', () => {
    const acc = new OverviewAccumulator({ customers: 2, orders: 1, items: 3 });
    acc.add(
      chunk(0, [
        { c: 0, o: 0, i: 2, t: null, q: NaN, a: NaN, type: 'view' },
        { c: 1, o: 0, i: 2, t: null, q: NaN, a: NaN, type: 'view' },
        { c: 1, o: 0, i: 1, t: null, q: NaN, a: NaN, type: 'rating' },
      ]),
    );
    const o = acc.result(dicts(2, 1, ['a', 'b', 'c'], ['', '', '']));
    expect(o.hasRevenue).toBe(false);
    expect(o.hasTime).toBe(false);
    expect(o.firstTime).toBeNull();
    expect(o.revenueByMonth).toEqual([]);
    expect(o.orders).toBe(0);
    expect(o.repeatCustomerRate).toBe(0);
    expect(o.topItems.map((t) => [t.id, t.events])).toEqual([
      ['c', 2],
      ['b', 1],
    ]);
  });

  it('keeps only the top 10 items', () => {
    const events: Ev[] = Array.from({ length: 15 }, (_, i) => ({ c: 0, o: i, i, t: '2025-01-01T00:00:00Z', q: 1, a: i + 1, type: 'purchase' as const }));
    const acc = new OverviewAccumulator({ customers: 1, orders: 15, items: 15 });
    acc.add(chunk(0, events));
    const o = acc.result(dicts(1, 15, events.map((_, i) => `i${i}`), events.map(() => '')));
    expect(o.topItems.map((t) => t.revenue)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
  });

  it('rejects indices beyond the declared sizes', () => {
    const acc = new OverviewAccumulator({ customers: 1, orders: 1, items: 1 });
    expect(() => acc.add(chunk(0, [{ c: 1, o: 0, i: 0, t: null, q: 1, a: 1, type: 'purchase' }]))).toThrow(/customer 1/);
    expect(() => new OverviewAccumulator({ customers: -1, orders: 0, items: 0 })).toThrow(/customers/);
  });

  it('monthIndex agrees with Date for times across four centuries', () => {
    for (let k = 0; k < 5000; k++) {
      const ms = -6e12 + k * 2.7e9 + (k % 7) * 86_399_999;
      const d = new Date(ms);
      const expected = (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
      expect(monthIndex(ms)).toBe(expected);
      expect(monthLabel(expected)).toBe(d.toISOString().slice(0, 7));
    }
  });

  it('handles a million events quickly (prints events/s)', () => {
    const n = 1_000_000;
    const ch: EventChunk = {
      index: 0,
      rows: n,
      customer: new Uint32Array(n),
      order: new Uint32Array(n),
      item: new Uint32Array(n),
      time: new Float64Array(n),
      quantity: new Float32Array(n).fill(1),
      amount: new Float64Array(n),
      rating: new Float32Array(n),
      eventType: new Uint8Array(n),
    };
    const start = Date.parse('2024-01-01T00:00:00Z');
    for (let r = 0; r < n; r++) {
      ch.order[r] = r >> 1; // two lines per order
      ch.customer[r] = (r >> 1) % 50_000;
      ch.item[r] = (r * 7) % 1000;
      ch.time[r] = start + r * 60_000;
      ch.amount[r] = 2;
    }
    const acc = new OverviewAccumulator({ customers: 50_000, orders: n / 2, items: 1000 });
    const t = performance.now();
    acc.add(ch);
    const o = acc.result(dicts(50_000, n / 2, Array.from({ length: 1000 }, (_, i) => `i${i}`), []));
    const ms = performance.now() - t;
    console.log(`overview: ${n} events in ${ms.toFixed(0)} ms = ${((n / ms) * 1000 / 1e6).toFixed(1)} M events/s`);
    expect(o.orders).toBe(n / 2);
    expect(o.revenue).toBe(2 * n);
    // 1M minutes from 2024-01-01 end on 2025-11-25: 23 months.
    expect(o.revenueByMonth).toHaveLength(23);
    expect(o.ordersPerCustomer.find((b) => b.label === '6–10')!.customers).toBe(50_000);
  });
});

describe('a growable OverviewAccumulator (aggregating during an import)', () => {
  it('gives the same overview as one sized from the dictionaries', async () => {
    const { importDemoShop } = await import('./features-helpers');
    const { result, chunks } = importDemoShop({ customers: 400, items: 80 });
    const sized = new OverviewAccumulator({ customers: result.stats.customers, orders: result.stats.orders, items: result.stats.items });
    const growing = new OverviewAccumulator({ customers: 0, orders: 0, items: 0 }, { growable: true });
    // Small slices, so the arrays grow many times.
    for (const c of chunks) {
      for (let from = 0; from < c.rows; from += 500) {
        const to = Math.min(c.rows, from + 500);
        const slice: EventChunk = {
          index: c.index,
          rows: to - from,
          customer: c.customer.subarray(from, to),
          order: c.order.subarray(from, to),
          item: c.item.subarray(from, to),
          time: c.time.subarray(from, to),
          quantity: c.quantity.subarray(from, to),
          amount: c.amount.subarray(from, to),
          rating: c.rating.subarray(from, to),
          eventType: c.eventType.subarray(from, to),
        };
        sized.add(slice);
        growing.add(slice);
      }
    }
    expect(growing.result(result.dictionaries)).toEqual(sized.result(result.dictionaries));
  });
});
