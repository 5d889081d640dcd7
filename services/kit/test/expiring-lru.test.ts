import { describe, expect, it } from "vitest";
import { ExpiringLru } from "../src/runtime/expiring-lru.js";

describe("ExpiringLru", () => {
  it("drops the least recently used entry when full, and expired entries when asked for", () => {
    const lru = new ExpiringLru<string, number>(2);
    lru.set("a", 1, 1_000);
    lru.set("b", 2, 1_000);
    expect(lru.get("a", 0)).toEqual({ isHit: true, value: 1 }); // now "b" is the least recently used
    lru.set("c", 3, 1_000);
    expect(lru.get("b", 0)).toEqual({ isHit: false });
    expect(lru.get("a", 0)).toEqual({ isHit: true, value: 1 });
    expect(lru.get("c", 999)).toEqual({ isHit: true, value: 3 });
    expect(lru.get("c", 1_000)).toEqual({ isHit: false });
    expect(lru.size).toBe(1);
  });
});
