import { commitmentOf, drawInOrder, drawSeed } from "@rhizome/kit";
import { compositionHolds, type SeatKind } from "./composition.js";

/** What a draw commits to before any seed is known. */
export interface DrawRules {
  roleId: string;
  role: string;
  /** How many holders the role has. */
  holders: number;
  /** Holders of the role's previous draw, left out of the pool because others are eligible. */
  excludedAsPreviousHolders: string[];
  /** When true, holders are taken in draw order while the holders keep two edge for every advantaged. */
  hasBlocQuota: boolean;
  seedsRequired: number;
}

export interface DrawCommitment {
  /** The eligible members' ids, sorted. */
  pool: string[];
  rules: DrawRules;
}

/**
 * The pool of a draw: the eligible members (sorted), without last cycle's holders as long as enough
 * others are eligible to fill the role ("nobody twice in a row while others are eligible").
 */
export function drawPool(eligible: readonly string[], previousHolders: readonly string[], holders: number): { pool: string[]; excluded: string[] } {
  const sorted = [...new Set(eligible)].sort();
  const previous = new Set(previousHolders);
  const others = sorted.filter((id) => !previous.has(id));
  if (others.length >= holders) return { pool: others, excluded: sorted.filter((id) => previous.has(id)) };
  return { pool: sorted, excluded: [] };
}

/** The commitment published when the draw opens: SHA-256 of the canonical JSON of { pool, rules }. */
export function drawCommitment(commitment: DrawCommitment): string {
  return commitmentOf(commitment);
}

/** The whole pool in draw order: kit drawInOrder(pool, drawSeed(commitment, seeds), pool.length). */
export function drawOrder(commitment: DrawCommitment, seeds: readonly string[]): { seed: string; order: string[] } {
  const seed = drawSeed(drawCommitment(commitment), seeds);
  return { seed, order: drawInOrder(commitment.pool, seed, commitment.pool.length) };
}

/**
 * Who holds the role: the first `holders` of the draw order; with a bloc quota, walking the order and
 * passing over anyone whose seat kind would leave fewer than two edge holders per advantaged one.
 * Seat kinds are private, so the public can check the order, not who was passed over.
 */
export function selectHolders(order: readonly string[], holders: number, hasBlocQuota: boolean, seatKindOf: (memberId: string) => SeatKind | undefined): string[] {
  if (!hasBlocQuota) return order.slice(0, holders);
  const chosen: string[] = [];
  const counts = { edge: 0, advantaged: 0 };
  for (const memberId of order) {
    if (chosen.length >= holders) break;
    const kind = seatKindOf(memberId);
    if (!kind) continue;
    const after = kind === "EDGE" ? { ...counts, edge: counts.edge + 1 } : { ...counts, advantaged: counts.advantaged + 1 };
    if (!compositionHolds(after)) continue;
    chosen.push(memberId);
    Object.assign(counts, after);
  }
  return chosen;
}

export interface DrawVerificationResult {
  commitmentMatches: boolean;
  orderMatches: boolean;
  recomputedOrder: string[];
}

/** Recomputes a closed draw from what it published. */
export function verifyDrawRecord(record: { pool: string[]; rules: DrawRules; commitment: string; seeds: string[]; drawSeed: string | null; drawnOrder: string[] | null }): DrawVerificationResult {
  const commitment = { pool: record.pool, rules: record.rules };
  const { seed, order } = drawOrder(commitment, record.seeds);
  return {
    commitmentMatches: drawCommitment(commitment) === record.commitment,
    orderMatches: record.drawnOrder !== null && seed === record.drawSeed && JSON.stringify(order) === JSON.stringify(record.drawnOrder),
    recomputedOrder: order,
  };
}

/** The seed a rotation draw at the new moon takes when no witness is present: the ended cycle's label and the circle's decision log head. */
export function rotationSeed(cycleLabel: string, decisionLogHead: string): string {
  return `new-moon:${cycleLabel}:${decisionLogHead}`;
}
