import type { DataSource } from "typeorm";
import { howBodyDecides } from "../domain/composition.js";
import { isEdgeOnlyPeriod } from "../domain/constitution.js";
import { decide, type CountedResponse, type DecisionRule, type ResponseKind } from "../domain/decision-rules.js";
import { publishedCompositionsOf } from "./compositions.js";
import { applyAmendment } from "./constitution.js";
import { appendEntries, lockLogHeads, type StoredEntry } from "./decision-log.js";
import { proposalFromSql, type ProposalRow } from "./proposals.js";

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
  return db.transaction(async (manager) => {
    const raws: Array<Record<string, unknown>> = await manager.query(
      `SELECT * FROM proposals WHERE status = 'OPEN' AND closes_at <= $1 AND ($2::uuid IS NULL OR circle_id = $2)
       ORDER BY closes_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [now, scope.circleId ?? null, CLOSING_BATCH_SIZE],
    );
    if (raws.length === 0) return [];
    const proposals = raws
      .map(proposalFromSql)
      .sort((a, b) =>
        a.circleId < b.circleId
          ? -1
          : a.circleId > b.circleId
            ? 1
            : a.closesAt.getTime() - b.closesAt.getTime() || (a.id < b.id ? -1 : 1),
      );
    const heads = await lockLogHeads(
      manager,
      proposals.map((p) => p.circleId),
    );
    const bodyIds = [...new Set(proposals.map((p) => p.bodyId))];
    const bodies: Array<{
      id: string;
      circle_id: string;
      created_at: Date;
      decision_rule: DecisionRule;
      quorum_percent: number;
    }> = await manager.query(
      `SELECT id, circle_id, created_at, decision_rule, quorum_percent FROM bodies WHERE id = ANY($1::uuid[]) FOR SHARE`,
      [bodyIds],
    );
    const seats: Array<{ body_id: string; member_id: string }> = await manager.query(
      `SELECT body_id, member_id FROM seats WHERE body_id = ANY($1::uuid[])`,
      [bodyIds],
    );
    const responses: Array<{ proposal_id: string; member_id: string; response: ResponseKind; reason: string | null }> =
      await manager.query(
        `SELECT proposal_id, member_id, response, reason FROM responses WHERE proposal_id = ANY($1::uuid[])`,
        [proposals.map((p) => p.id)],
      );
    const amendmentCircles = [...new Set(proposals.filter((p) => p.kind === "AMENDMENT").map((p) => p.circleId))];
    const founded: Array<{ circle_id: string; founded_at: Date }> = amendmentCircles.length
      ? await manager.query(`SELECT circle_id, founded_at FROM circles WHERE circle_id = ANY($1::uuid[])`, [
          amendmentCircles,
        ])
      : [];

    const seatsByBody = groupBy(seats, (s) => s.body_id);
    const responsesByProposal = groupBy(responses, (r) => r.proposal_id);
    // A body decides by its composition as published at a new moon, never by its seats' kinds of this
    // instant; a body under 5 seats or without a published composition decides by the consent of every seat.
    const published = await publishedCompositionsOf(
      manager,
      bodies.map((b) => ({ id: b.id, circleId: b.circle_id, createdAt: b.created_at })),
      now,
    );
    const publishedByBody = new Map(bodies.map((body, i) => [body.id, published[i]]));
    const decided = proposals.map((proposal) => {
      const body = bodies.find((b) => b.id === proposal.bodyId)!;
      const seated = new Set((seatsByBody.get(proposal.bodyId) ?? []).map((s) => s.member_id));
      const how = howBodyDecides(seated.size, publishedByBody.get(body.id));
      // In a circle's first six months an amendment passes only by the consent of every seat: every
      // edge seat holds a veto, and no count ever depends on which seats are edge.
      const isEdgeOnlyAmendment =
        proposal.kind === "AMENDMENT" &&
        isEdgeOnlyPeriod(founded.find((f) => f.circle_id === proposal.circleId)?.founded_at, now);
      const rule: DecisionRule = how.mode === "EVERY_SEAT" || isEdgeOnlyAmendment ? "CONSENT" : body.decision_rule;
      const counted: CountedResponse[] = (responsesByProposal.get(proposal.id) ?? [])
        .filter((r) => seated.has(r.member_id))
        .map((r) => ({ response: r.response, reason: r.reason }));
      const decision = decide({
        rule,
        quorumPercent: body.quorum_percent,
        eligible: seated.size,
        isInComposition: how.mode !== "CANNOT",
        responses: counted,
      });
      return { proposal, rule, decision };
    });

    const entries = await appendEntries(
      manager,
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
    await manager.query(
      `UPDATE proposals p SET status = 'CLOSED', outcome = k.outcome, closed_at = $3 FROM unnest($1::uuid[], $2::text[]) AS k(id, outcome) WHERE p.id = k.id AND p.status = 'OPEN'`,
      [decided.map((d) => d.proposal.id), decided.map((d) => d.decision.outcome), now],
    );
    for (const { proposal, decision } of decided) {
      if (proposal.kind === "AMENDMENT" && decision.outcome === "PASSED")
        await applyAmendment(
          manager,
          proposal as ProposalRow & { amendment: NonNullable<ProposalRow["amendment"]> },
          now,
        );
    }
    return entries;
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

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
