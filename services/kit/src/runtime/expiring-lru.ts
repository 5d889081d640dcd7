/**
 * A bounded cache whose entries expire. When full, it drops the least recently used entry, so a
 * flood of new keys pushes out only the entries nobody has asked for lately, never all of them.
 * A Map keeps insertion order; re-inserting on every hit makes that order the order of use.
 */
export class ExpiringLru<Key, Value> {
  private readonly entries = new Map<Key, { value: Value; expiresAtMs: number }>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new Error(`An LRU needs at least one entry, not ${maxEntries}.`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live entry for `key`, or `{ isHit: false }` when there is none or it has expired. */
  get(key: Key, nowMs: number): { isHit: true; value: Value } | { isHit: false } {
    const entry = this.entries.get(key);
    if (!entry) return { isHit: false };
    this.entries.delete(key);
    if (entry.expiresAtMs <= nowMs) return { isHit: false };
    this.entries.set(key, entry);
    return { isHit: true, value: entry.value };
  }

  set(key: Key, value: Value, expiresAtMs: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const leastRecentlyUsed = this.entries.keys().next();
      if (!leastRecentlyUsed.done) this.entries.delete(leastRecentlyUsed.value);
    }
    this.entries.set(key, { value, expiresAtMs });
  }
}
