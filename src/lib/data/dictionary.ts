// Raw id strings ↔ dense indices, in order of first appearance.

/**
 * A copy of s that does not point into the text it was cut from. Strings from slice/split of a
 * large chunk may be views of the whole chunk; kept in a dictionary they would pin every chunk of
 * the file in memory.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  // Consecutive rows often repeat the same id (lines of one order): skip the Map then.
  private lastKey = '\u0000';
  private lastId = -1;

  /** Index of key, adding it when new. */
  id(key: string): number {
    if (key === this.lastKey) return this.lastId;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.length;
      key = detach(key);
      this.index.set(key, i);
      this.values.push(key);
    }
    this.lastKey = key;
    this.lastId = i;
    return i;
  }

  /** Adds a key known to be new (e.g. one order per line) without indexing it. */
  append(key: string): number {
    this.values.push(key);
    return this.values.length - 1;
  }

  get size(): number {
    return this.values.length;
  }
}
