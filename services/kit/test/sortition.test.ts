import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { commitmentOf, drawInOrder, drawSeed } from "../src/sortition.js";

const pool = Array.from({ length: 40 }, (_, i) => `member-${String(i).padStart(2, "0")}`);

describe("sortition", () => {
  it("commits to the same value whatever the order of its keys", () => {
    expect(commitmentOf({ pool: ["a", "b"], rules: { seats: 2, quota: 1 } })).toBe(commitmentOf({ rules: { quota: 1, seats: 2 }, pool: ["a", "b"] }));
    expect(commitmentOf({ pool: ["a", "b"] })).not.toBe(commitmentOf({ pool: ["b", "a"] }));
  });

  it("draws the same people in the same order from the same seed, and others from another seed", () => {
    const seed = drawSeed(commitmentOf({ pool }), ["4", "2", "6"]);
    const first = drawInOrder(pool, seed, 5);
    expect(drawInOrder(pool, seed, 5)).toEqual(first);
    expect(new Set(first).size).toBe(5);
    expect(drawInOrder(pool, drawSeed(commitmentOf({ pool }), ["4", "2", "5"]), 5)).not.toEqual(first);
  });

  it("follows the written function: index = SHA-256(seed:step:attempt) mod entries left", () => {
    const seed = "published-seed";
    const left = [...pool];
    const expected: string[] = [];
    for (let step = 0; step < 3; step++) {
      const r = BigInt(`0x${createHash("sha256").update(`${seed}:${step}:0`).digest("hex")}`);
      expected.push(...left.splice(Number(r % BigInt(left.length)), 1));
    }
    expect(drawInOrder(pool, seed, 3)).toEqual(expected);
  });

  it("gives everyone when the pool is smaller than the count, and nobody from an empty pool", () => {
    expect(drawInOrder(["a", "b"], "s", 5).sort()).toEqual(["a", "b"]);
    expect(drawInOrder([], "s", 2)).toEqual([]);
  });

  it("picks each entry about equally often", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const [winner] = drawInOrder(["a", "b", "c", "d"], `seed-${i}`, 1);
      counts.set(winner!, (counts.get(winner!) ?? 0) + 1);
    }
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
  });
});
