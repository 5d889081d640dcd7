import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  commitmentOf,
  drawInOrder,
  drawSeed,
  frozenPoolCommitment,
  witnessCommitment,
  witnessedDrawOrder,
  witnessSeedProblem,
} from "../src/rules/sortition.js";

const pool = Array.from({ length: 40 }, (_, i) => `member-${String(i).padStart(2, "0")}`);

describe("sortition", () => {
  it("commits to the same value whatever the order of its keys", () => {
    expect(commitmentOf({ pool: ["a", "b"], rules: { seats: 2, quota: 1 } })).toBe(
      commitmentOf({ rules: { quota: 1, seats: 2 }, pool: ["a", "b"] }),
    );
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

describe("witnessed draws", () => {
  const frozen = {
    drawId: "d1",
    purpose: "role:r",
    cycle: "2031-01-23",
    pool: ["a", "b", "c", "d", "e"],
    rules: { holders: 1 },
  };
  const witnesses = [
    { memberId: "w3", seed: "c".repeat(32) },
    { memberId: "w1", seed: "a".repeat(32) },
    { memberId: "w2", seed: "b".repeat(32) },
  ];

  it("bind a commitment to its draw and its witness, so a copied commitment never opens", () => {
    const commitment = witnessCommitment("d1", "w1", "a".repeat(32));
    expect(witnessCommitment("d2", "w1", "a".repeat(32))).not.toBe(commitment);
    expect(witnessCommitment("d1", "w2", "a".repeat(32))).not.toBe(commitment);
  });

  it("refuse seeds too short to keep secret", () => {
    expect(witnessSeedProblem("dice: 4 2 6")).toContain("32 to 200 characters");
    expect(witnessSeedProblem("f".repeat(32))).toBeUndefined();
    expect(witnessSeedProblem("f".repeat(201))).toContain("got 201");
  });

  it("give one order whatever order the witnesses committed in, and another when any seed differs", () => {
    const { order, drawSeed: seed } = witnessedDrawOrder(frozen, witnesses);
    expect(witnessedDrawOrder(frozen, [...witnesses].reverse()).order).toEqual(order);
    expect(seed).toBe(drawSeed(frozenPoolCommitment(frozen), ["a".repeat(32), "b".repeat(32), "c".repeat(32)]));
    expect(order).toEqual(drawInOrder(frozen.pool, seed, 5));
    const other = witnessedDrawOrder(
      frozen,
      witnesses.map((w, i) => (i === 0 ? { ...w, seed: "d".repeat(32) } : w)),
    );
    expect(other.drawSeed).not.toBe(seed);
    expect(witnessedDrawOrder({ ...frozen, pool: ["a", "b", "c", "d"] }, witnesses).drawSeed).not.toBe(seed);
  });
});
