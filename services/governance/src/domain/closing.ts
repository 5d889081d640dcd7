import { howBodyDecides, type PublishedComposition } from "./composition.js";
import { isEdgeOnlyPeriod } from "./constitution.js";
import { decide, type Decision, type DecisionRule, type ResponseKind } from "./decision-rules.js";

export interface ClosingCase {
  proposal: { kind: "ORDINARY" | "AMENDMENT" };
  body: { decisionRule: DecisionRule; quorumPercent: number };
  /** Who sits in the body when the vote closes. */
  seated: readonly string[];
  /** The body's composition as published at the last new moon. */
  published: PublishedComposition | undefined;
  /** When the circle was founded, if governance knows. */
  foundedAt: Date | undefined;
  responses: ReadonlyArray<{ memberId: string; response: ResponseKind; reason: string | null }>;
}

/**
 * A closing proposal's rule and outcome. A body decides by its composition as published at a new
 * moon, never by its seats' kinds of this instant; a body under 5 seats or without a published
 * composition decides by the consent of every seat. In a circle's first six months an amendment passes
 * only by the consent of every seat: every edge seat holds a veto, and no count ever depends on which
 * seats are edge. Only seated members' responses count.
 */
export function closingDecision(closing: ClosingCase, now: Date): { rule: DecisionRule; decision: Decision } {
  const seated = new Set(closing.seated);
  const how = howBodyDecides(seated.size, closing.published);
  const isEdgeOnlyAmendment = closing.proposal.kind === "AMENDMENT" && isEdgeOnlyPeriod(closing.foundedAt, now);
  const rule: DecisionRule = how.mode === "EVERY_SEAT" || isEdgeOnlyAmendment ? "CONSENT" : closing.body.decisionRule;
  const decision = decide({
    rule,
    quorumPercent: closing.body.quorumPercent,
    eligible: seated.size,
    isInComposition: how.mode !== "CANNOT",
    responses: closing.responses
      .filter((r) => seated.has(r.memberId))
      .map((r) => ({ response: r.response, reason: r.reason })),
  });
  return { rule, decision };
}

/** Proposals in the order their entries join the logs: by circle, then closing instant, then id. */
export function inLogOrder<P extends { circleId: string; closesAt: Date; id: string }>(proposals: readonly P[]): P[] {
  return [...proposals].sort((a, b) =>
    a.circleId < b.circleId
      ? -1
      : a.circleId > b.circleId
        ? 1
        : a.closesAt.getTime() - b.closesAt.getTime() || (a.id < b.id ? -1 : 1),
  );
}
