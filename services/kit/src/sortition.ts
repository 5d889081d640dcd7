import { createHash } from "node:crypto";

/**
 * Draws anyone can recompute by hand. A draw publishes a commitment to its pool and rules before any
 * seed is known, then combines the witnesses' seeds with that commitment, then picks people with the
 * function below. With the same pool, rules and seeds, every run gives the same people in the same order.
 */

/** SHA-256 (hex) of the value's canonical JSON: object keys sorted, no spaces. */
export function commitmentOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** The draw's seed: SHA-256 (hex) of the JSON array [commitment, seed1, seed2, ...] in the order given. */
export function drawSeed(commitment: string, seeds: readonly string[]): string {
  return sha256Hex(JSON.stringify([commitment, ...seeds]));
}

/**
 * Picks `count` entries of `pool` (at most all of them), in draw order. Step i (from 0) reads
 * r = SHA-256(`${seed}:${i}:${attempt}`) as a 256-bit number, with attempt from 0; while
 * r >= floor(2^256 / n) * n (n = entries left) it tries the next attempt, so every entry is equally
 * likely; then it takes the entry at index r mod n of those left (in their original order) and removes it.
 */
export function drawInOrder<T>(pool: readonly T[], seed: string, count: number): T[] {
  const left = [...pool];
  const drawn: T[] = [];
  for (let step = 0; drawn.length < count && left.length > 0; step++) {
    const index = uniformIndex(seed, step, left.length);
    drawn.push(...left.splice(index, 1));
  }
  return drawn;
}

const RANGE = 1n << 256n;

function uniformIndex(seed: string, step: number, size: number): number {
  const n = BigInt(size);
  const acceptBelow = (RANGE / n) * n;
  for (let attempt = 0; ; attempt++) {
    const r = BigInt(`0x${sha256Hex(`${seed}:${step}:${attempt}`)}`);
    if (r < acceptBelow) return Number(r % n);
  }
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
