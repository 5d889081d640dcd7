import type { SeatKind } from "./composition.js";

export const decisionRules = ["CONSENT", "CONSENSUS", "CONSENSUS_MINUS_ONE", "MAJORITY"] as const;
export type DecisionRule = (typeof decisionRules)[number];

export const responseKinds = ["CONSENT", "STAND_ASIDE", "OBJECT", "VETO"] as const;
export type ResponseKind = (typeof responseKinds)[number];

export type Outcome = "PASSED" | "REJECTED" | "NO_QUORUM" | "OUT_OF_COMPOSITION";

/** A response of a member seated when the vote closes, with the kind of their seat (never published). */
export interface CountedResponse {
  response: ResponseKind;
  seatKind: SeatKind;
  reason: string | null;
}

/** What the log publishes: counts and reasons, nobody's name and nobody's seat kind. */
export interface Tally {
  /** Members seated in the body when the vote closed: the only ones whose responses count. */
  eligible: number;
  consent: number;
  standAside: number;
  object: number;
  veto: number;
  /** Objections that stand under the body's rule (vetoes that do not block count here). */
  standingObjections: number;
  /** Vetoes that block under the body's rule. */
  blockingVetoes: number;
}

export interface Decision {
  outcome: Outcome;
  tally: Tally;
  /** The reasons given with objections and vetoes, sorted, so the entry does not depend on who answered first. */
  reasons: string[];
}

export interface DecisionInput {
  rule: DecisionRule;
  quorumPercent: number;
  eligible: number;
  isInComposition: boolean;
  responses: readonly CountedResponse[];
}

/**
 * The outcome of a vote, computed (never typed in):
 * - CONSENT: passes unless an objection stands; every OBJECT and every VETO is an objection.
 * - CONSENSUS: passes only if every eligible member answered, none objected or vetoed, and at least one consented.
 * - CONSENSUS_MINUS_ONE: blocked by any veto from an EDGE seat; an ADVANTAGED seat's veto counts as an
 *   objection only; passes when no edge veto was cast and at most one objection stands.
 * - MAJORITY: needs a quorum (responses of at least ceil(quorum% x eligible) eligible members), then passes
 *   when consents outnumber objections plus vetoes; stand-asides count for the quorum only.
 * A body out of composition when the vote closes decides nothing (OUT_OF_COMPOSITION).
 */
export function decide(input: DecisionInput): Decision {
  const count = (kind: ResponseKind) => input.responses.filter((r) => r.response === kind).length;
  const edgeVetoes = input.responses.filter((r) => r.response === "VETO" && r.seatKind === "EDGE").length;
  const vetoes = count("VETO");
  const objections = count("OBJECT");
  const blockingVetoes = input.rule === "CONSENSUS_MINUS_ONE" ? edgeVetoes : input.rule === "MAJORITY" ? 0 : vetoes;
  const standingObjections = input.rule === "CONSENSUS_MINUS_ONE" ? objections + vetoes - edgeVetoes : input.rule === "MAJORITY" ? objections + vetoes : objections;
  const tally: Tally = {
    eligible: input.eligible,
    consent: count("CONSENT"),
    standAside: count("STAND_ASIDE"),
    object: objections,
    veto: vetoes,
    standingObjections,
    blockingVetoes,
  };
  const reasons = input.responses.map((r) => r.reason).filter((r): r is string => !!r).sort();
  return { outcome: outcomeOf(input, tally), tally, reasons };
}

function outcomeOf(input: DecisionInput, tally: Tally): Outcome {
  if (!input.isInComposition || input.eligible === 0) return "OUT_OF_COMPOSITION";
  const answered = tally.consent + tally.standAside + tally.object + tally.veto;
  switch (input.rule) {
    case "CONSENT":
      return tally.blockingVetoes + tally.standingObjections === 0 ? "PASSED" : "REJECTED";
    case "CONSENSUS":
      return answered === input.eligible && tally.blockingVetoes + tally.standingObjections === 0 && tally.consent > 0 ? "PASSED" : "REJECTED";
    case "CONSENSUS_MINUS_ONE":
      return tally.blockingVetoes === 0 && tally.standingObjections <= 1 ? "PASSED" : "REJECTED";
    case "MAJORITY":
      if (answered < quorumOf(input.eligible, input.quorumPercent)) return "NO_QUORUM";
      return tally.consent > tally.standingObjections ? "PASSED" : "REJECTED";
  }
}

/** How many eligible members must answer: ceil(percent x eligible / 100), at least 1. */
export function quorumOf(eligible: number, percent: number): number {
  return Math.max(1, Math.ceil((eligible * percent) / 100));
}

/** A veto and an objection need a reason. */
export function responseProblem(response: ResponseKind, reason: string | undefined): string | undefined {
  if ((response === "VETO" || response === "OBJECT") && !reason?.trim()) return `A ${response === "VETO" ? "veto" : "objection"} needs a reason, so the body can answer it.`;
  return undefined;
}
