import { commitmentOf } from "@rhizome/kit/rules";
import type { Outcome, PublishedTally } from "./decision-rules.js";

/** The hash before a circle's first entry. */
export const GENESIS_HASH = "0".repeat(64);

export interface DecisionLogEntry {
  circleId: string;
  seq: number;
  proposalId: string;
  bodyId: string;
  rule: string;
  outcome: Outcome;
  /** As published: the five counts, nothing else (entries stored with more were scrubbed and re-hashed by migration 0005). */
  tally: PublishedTally;
  reasons: string[];
  /** ISO 8601 with milliseconds, UTC. */
  decidedAt: string;
  previousHash: string;
}

/**
 * An entry's hash: SHA-256 (hex) of the canonical JSON (keys sorted, no spaces) of every field above,
 * previousHash included, so changing any entry changes every hash after it.
 */
export function entryHash(entry: DecisionLogEntry): string {
  return commitmentOf(entry);
}

export interface ChainCheck {
  /** The last hash checked, to carry into the next batch. */
  headHash: string;
  nextSeq: number;
  /** The first entry whose stored hash or link does not match, if any. */
  firstBrokenSeq?: number;
}

/** Checks a batch of consecutive entries against their stored hashes, continuing from `from`. */
export function checkChain(
  entries: ReadonlyArray<DecisionLogEntry & { hash: string }>,
  from: { headHash: string; nextSeq: number },
): ChainCheck {
  let headHash = from.headHash;
  let nextSeq = from.nextSeq;
  for (const { hash, ...entry } of entries) {
    if (entry.seq !== nextSeq || entry.previousHash !== headHash || entryHash(entry) !== hash)
      return { headHash, nextSeq, firstBrokenSeq: nextSeq };
    headHash = hash;
    nextSeq++;
  }
  return { headHash, nextSeq };
}
