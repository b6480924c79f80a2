// Yielding to the event loop from long work, so that queued messages (a cancel, a progress
// request) get through. setTimeout(0) is the obvious way, but browsers clamp a timer nested five
// deep to at least 4 ms (HTML spec). In a Chromium worker that cost 4.2 ms a yield, 419 ms for 100
// in a row. A message on a fresh MessageChannel is a task too, without the clamp: 0.09 ms a yield.
// Node does not clamp, and an open port would keep it alive, so it gets setImmediate.

type Immediate = (callback: () => void) => unknown;

/** Resolves on a later task of the event loop (a macrotask: postMessage deliveries are tasks). */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (typeof immediate === 'function') return new Promise((resolve) => void immediate(resolve));
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
