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

/** Canonical JSON: object keys sorted by code point, no spaces; what commitmentOf hashes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// Witnessed draws: commit, freeze, open.

/** A draw needs at least this many witnesses' commitments when its pool is frozen; with fewer, nothing is drawn. */
export const MIN_DRAW_WITNESSES = 3;
/** A witness's seed: 32 to 200 characters, e.g. 32 random hex digits (128 bits) made by the app. */
export const MIN_WITNESS_SEED_LENGTH = 32;
export const MAX_WITNESS_SEED_LENGTH = 200;

/**
 * What a witness commits to, published before the pool is frozen:
 * SHA-256 hex of JSON.stringify([drawId, memberId, seed]). Binding the draw and the witness means a
 * commitment copied from another witness, or from another draw, never opens.
 */
export function witnessCommitment(drawId: string, memberId: string, seed: string): string {
  return sha256Hex(JSON.stringify([drawId, memberId, seed]));
}

/** The problem with a witness's seed, or undefined when it may be committed. */
export function witnessSeedProblem(seed: string): string | undefined {
  if (seed.length < MIN_WITNESS_SEED_LENGTH || seed.length > MAX_WITNESS_SEED_LENGTH) {
    return `A witness's seed has ${MIN_WITNESS_SEED_LENGTH} to ${MAX_WITNESS_SEED_LENGTH} characters (e.g. 32 random hex digits); got ${seed.length}.`;
  }
  return undefined;
}

export interface FrozenDrawInput {
  drawId: string;
  /** What the draw is for, e.g. "role:<id>" or "caretakers". */
  purpose: string;
  /** The cycle whose end froze the pool. */
  cycle: string;
  /** Member ids, sorted and without repeats. */
  pool: readonly string[];
  /** Whatever else decides the result (holders, who sat out), recorded with the pool. */
  rules: Record<string, unknown>;
}

/** The pool's commitment, published when the pool is frozen: SHA-256 hex of the canonical JSON of { drawId, purpose, cycle, pool, rules }. */
export function frozenPoolCommitment(input: FrozenDrawInput): string {
  return commitmentOf({
    drawId: input.drawId,
    purpose: input.purpose,
    cycle: input.cycle,
    pool: [...input.pool],
    rules: input.rules,
  });
}

/** The witnesses' seeds in the order they are combined: by member id, so the order of committing changes nothing. */
export function seedsInCombinedOrder(witnesses: ReadonlyArray<{ memberId: string; seed: string }>): string[] {
  return [...witnesses]
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    .map((w) => w.seed);
}

/**
 * The whole pool in draw order: seed = drawSeed(poolCommitment, seeds by witness id), order =
 * drawInOrder(pool, seed, pool.length). Every witness's seed counts, revealed by its witness or
 * opened by the hub, so the result is the same whether or not a witness reveals.
 */
export function witnessedDrawOrder(
  input: FrozenDrawInput,
  witnesses: ReadonlyArray<{ memberId: string; seed: string }>,
): { poolCommitment: string; drawSeed: string; order: string[] } {
  const poolCommitment = frozenPoolCommitment(input);
  const seed = drawSeed(poolCommitment, seedsInCombinedOrder(witnesses));
  return { poolCommitment, drawSeed: seed, order: drawInOrder(input.pool, seed, input.pool.length) };
}

export interface WitnessedDrawCheck {
  /** Every published seed hashes to its witness's commitment. */
  seedsMatchCommitments: boolean;
  commitmentMatches: boolean;
  orderMatches: boolean;
  recomputedOrder: string[];
}

/** Recomputes a frozen draw from what it published; a witness without a seed (a seal the hub could not open) counts for nothing. */
export function checkWitnessedDraw(
  record: FrozenDrawInput & {
    poolCommitment: string;
    drawSeed: string;
    order: readonly string[];
    witnesses: ReadonlyArray<{ memberId: string; commitment: string; seed: string | null }>;
  },
): WitnessedDrawCheck {
  const counted = record.witnesses.flatMap((w) => (w.seed === null ? [] : [{ ...w, seed: w.seed }]));
  const { poolCommitment, drawSeed: seed, order } = witnessedDrawOrder(record, counted);
  return {
    seedsMatchCommitments: counted.every((w) => witnessCommitment(record.drawId, w.memberId, w.seed) === w.commitment),
    commitmentMatches: poolCommitment === record.poolCommitment,
    orderMatches: seed === record.drawSeed && JSON.stringify(order) === JSON.stringify(record.order),
    recomputedOrder: order,
  };
}
