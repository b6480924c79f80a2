// yieldToEventLoop must let an already queued task run before it resolves (that is how a worker
// sees a cancel message mid-job), under Node (setImmediate) and on the MessageChannel path that
// browsers take (exercised here by hiding setImmediate).
import { afterEach, describe, expect, it } from 'vitest';
import { yieldToEventLoop } from '../../src/lib/yield';

const realImmediate = globalThis.setImmediate;

afterEach(() => {
  globalThis.setImmediate = realImmediate;
});

describe('yieldToEventLoop', () => {
  it('under Node: a task queued before the yield has run when it resolves; a microtask is not enough', async () => {
    const seen: string[] = [];
    setImmediate(() => seen.push('task'));
    await Promise.resolve();
    expect(seen).toEqual([]);
    await yieldToEventLoop();
    expect(seen).toEqual(['task']);
  });

  it('on the MessageChannel path (no setImmediate): a message posted before the yield is delivered first', async () => {
    (globalThis as { setImmediate?: unknown }).setImmediate = undefined;
    const seen: string[] = [];
    const other = new MessageChannel();
    other.port1.onmessage = () => {
      seen.push('message');
      other.port1.close();
    };
    other.port2.postMessage('cancel');
    await Promise.resolve();
    expect(seen).toEqual([]);
    for (let i = 0; i < 3 && seen.length === 0; i++) await yieldToEventLoop();
    expect(seen).toEqual(['message']);
  });
});
