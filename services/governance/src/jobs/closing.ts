import type { DataSource } from "typeorm";
import type { Queryable } from "@rhizome/kit";
import { closingDecision, inLogOrder } from "../domain/closing.js";
import { seatHoldersOf, shareLockBodies } from "../store/bodies.js";
import { foundingDatesOf } from "../store/circles.js";
import { publishedCompositionsOf } from "../store/compositions.js";
import { applyAmendment } from "../store/constitution.js";
import { appendEntries, lockLogHeads, type StoredEntry } from "../store/decision-log.js";
import { lockDueProposals, markClosed, responsesToProposals, type ProposalRow } from "../store/proposals.js";

/** Proposals closed in one transaction at most. */
export const CLOSING_BATCH_SIZE = 500;

export interface ClosingScope {
  circleId?: string;
}

/**
 * Closes open proposals whose time has come, at most CLOSING_BATCH_SIZE, in one transaction: locks
 * them (skipping any another closer holds), locks their circles' log heads, computes each outcome from
 * the seats and responses at `now`, appends it to the hash-chained log, applies a passed amendment,
 * and marks the proposal closed. A proposal is closed exactly once: its row lock, its OPEN status and
 * the log's unique proposal_id each forbid a second time. Returns the entries appended.
 */
export async function closeDueProposals(db: DataSource, now: Date, scope: ClosingScope = {}): Promise<StoredEntry[]> {
  return db.transaction(async (tx) => {
    const proposals = inLogOrder(await lockDueProposals(tx, now, scope.circleId, CLOSING_BATCH_SIZE));
    if (proposals.length === 0) return [];
    const heads = await lockLogHeads(
      tx,
      proposals.map((p) => p.circleId),
    );
    const decided = await decideAll(tx, proposals, now);
    const entries = await appendEntries(
      tx,
      heads,
      decided.map(({ proposal, rule, decision }) => ({
        circleId: proposal.circleId,
        proposalId: proposal.id,
        bodyId: proposal.bodyId,
        rule,
        outcome: decision.outcome,
        tally: decision.tally,
        reasons: decision.reasons,
        decidedAt: now.toISOString(),
      })),
    );
    await markClosed(
      tx,
      decided.map((d) => ({ proposalId: d.proposal.id, outcome: d.decision.outcome })),
      now,
    );
    for (const { proposal, decision } of decided) {
      if (proposal.amendment && proposal.kind === "AMENDMENT" && decision.outcome === "PASSED")
        await applyAmendment(tx, { ...proposal, amendment: proposal.amendment }, now);
    }
    return entries;
  });
}

/** Reads what each locked proposal's outcome depends on, and asks the domain for it. */
async function decideAll(tx: Queryable, proposals: readonly ProposalRow[], now: Date) {
  const bodyIds = [...new Set(proposals.map((p) => p.bodyId))];
  const bodies = await shareLockBodies(tx, bodyIds);
  const seated = await seatHoldersOf(tx, bodyIds);
  const responses = await responsesToProposals(
    tx,
    proposals.map((p) => p.id),
  );
  const founded = await foundingDatesOf(tx, [
    ...new Set(proposals.filter((p) => p.kind === "AMENDMENT").map((p) => p.circleId)),
  ]);
  const published = await publishedCompositionsOf(tx, bodies, now);
  const bodyById = new Map(bodies.map((body, i) => [body.id, { body, published: published[i] }]));
  const seatedByBody = new Map(bodyIds.map((id, i) => [id, seated[i]]));
  const responsesByProposal = new Map<string, typeof responses>();
  for (const response of responses)
    responsesByProposal.set(response.proposalId, [...(responsesByProposal.get(response.proposalId) ?? []), response]);
  return proposals.map((proposal) => {
    const { body, published: composition } = bodyById.get(proposal.bodyId)!;
    return {
      proposal,
      ...closingDecision(
        {
          proposal,
          body,
          seated: seatedByBody.get(proposal.bodyId) ?? [],
          published: composition,
          foundedAt: founded.get(proposal.circleId),
          responses: responsesByProposal.get(proposal.id) ?? [],
        },
        now,
      ),
    };
  });
}

/** Closes every due proposal, batch after batch; returns how many were closed. */
export async function closeAllDueProposals(db: DataSource, now: Date, scope: ClosingScope = {}): Promise<number> {
  let closed = 0;
  for (;;) {
    const entries = await closeDueProposals(db, now, scope);
    closed += entries.length;
    if (entries.length < CLOSING_BATCH_SIZE) return closed;
  }
}
