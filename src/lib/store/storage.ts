// Storage quota: what the browser grants, asking it to keep our data, and turning its terse
// QuotaExceededError into a message that says what to do.

export interface StorageInfo {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

/** The part of `navigator` we use; injectable so Node tests can pass a fake. */
export interface StorageNavigator {
  storage?: StorageManager;
}

function defaultNav(): StorageNavigator | undefined {
  return (globalThis as { navigator?: StorageNavigator }).navigator;
}

export async function storageInfo(nav: StorageNavigator | undefined = defaultNav()): Promise<StorageInfo> {
  const storage = nav?.storage;
  const info: StorageInfo = { usage: null, quota: null, persisted: null };
  if (!storage) return info;
  try {
    const est = await storage.estimate();
    info.usage = est.usage ?? null;
    info.quota = est.quota ?? null;
  } catch {
    // Some private modes refuse estimate(); unknown is an honest answer.
  }
  try {
    if (typeof storage.persisted === 'function') info.persisted = await storage.persisted();
  } catch {
    info.persisted = null;
  }
  return info;
}

/** Asks the browser not to evict our data under pressure. False when refused or unsupported. */
export async function requestPersistence(nav: StorageNavigator | undefined = defaultNav()): Promise<boolean> {
  const storage = nav?.storage;
  if (!storage || typeof storage.persist !== 'function') return false;
  try {
    return await storage.persist();
  } catch {
    return false;
  }
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return 'an unknown amount';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export interface StorageFullDetails {
  /** Bytes the failed write tried to store. */
  neededBytes: number;
  usage?: number | null;
  quota?: number | null;
  /** Stored datasets, largest first, offered as what to delete. */
  largest?: { name: string; bytes: number }[];
  cause: unknown;
}

export class StorageFullError extends Error {
  readonly neededBytes: number;
  readonly usage: number | null;
  readonly quota: number | null;
  readonly largest: { name: string; bytes: number }[];

  constructor(details: StorageFullDetails) {
    super(StorageFullError.describe(details), { cause: details.cause });
    this.name = 'StorageFullError';
    this.neededBytes = details.neededBytes;
    this.usage = details.usage ?? null;
    this.quota = details.quota ?? null;
    this.largest = details.largest ?? [];
  }

  private static describe(d: StorageFullDetails): string {
    const parts = [`Browser storage is full: could not store ${formatBytes(d.neededBytes)} more`];
    if (d.usage != null && d.quota != null) {
      parts[0] += ` (${formatBytes(d.usage)} used of a ${formatBytes(d.quota)} quota)`;
    }
    parts[0] += '.';
    const largest = (d.largest ?? []).slice(0, 3);
    const list = largest.map((x) => `"${x.name}" (${formatBytes(x.bytes)})`).join(', ');
    parts.push(
      largest.length > 0
        ? `Delete datasets you no longer need — the largest are ${list} — or free disk space, then try again.`
        : 'Free disk space or delete stored datasets you no longer need, then try again.',
    );
    return parts.join(' ');
  }
}

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED', 'StorageFullError']);
/** Legacy DOMException code of QuotaExceededError. */
const QUOTA_CODE = 22;

/**
 * True for a quota failure, also when it is nested: a transaction aborted by the quota rejects with
 * an AbortError-ish error while the real reason sits in `tx.error` or an error's `cause`.
 */
export function isQuotaError(e: unknown, depth = 0): boolean {
  if (depth > 4 || e === null || typeof e !== 'object') return false;
  const o = e as { name?: unknown; code?: unknown; cause?: unknown; error?: unknown };
  if (typeof o.name === 'string' && QUOTA_NAMES.has(o.name)) return true;
  if (o.code === QUOTA_CODE && typeof DOMException !== 'undefined' && e instanceof DOMException) return true;
  return isQuotaError(o.cause, depth + 1) || isQuotaError(o.error, depth + 1);
}
