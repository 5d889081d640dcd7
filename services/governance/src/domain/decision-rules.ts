export const decisionRules = ["CONSENT", "CONSENSUS", "CONSENSUS_MINUS_ONE", "MAJORITY"] as const;
export type DecisionRule = (typeof decisionRules)[number];

export const responseKinds = ["CONSENT", "STAND_ASIDE", "OBJECT", "VETO"] as const;
export type ResponseKind = (typeof responseKinds)[number];

export type Outcome = "PASSED" | "REJECTED" | "NO_QUORUM" | "OUT_OF_COMPOSITION";

/** A response that counts (its author's seat is eligible when the vote closes). Nobody's name, nobody's bloc. */
export interface CountedResponse {
  response: ResponseKind;
  reason: string | null;
}

/** The counts of a closed vote: responses by kind, whoever gave them, whatever their bloc. */
export interface Tally {
  /** Members seated in the body when the vote closed. */
  eligible: number;
  consent: number;
  standAside: number;
  object: number;
  veto: number;
}

/**
 * What the log holds of a tally: the counts (every vote now counts every seated member). Counts are
 * null only in entries of amendments decided by edge seats alone, before amendments in a circle's first
 * six months were decided by the consent of every seat; those entries keep `eligible` and no count.
 */
export interface PublishedTally {
  eligible: number;
  consent: number | null;
  standAside: number | null;
  object: number | null;
  veto: number | null;
}

export interface Decision {
  outcome: Outcome;
  tally: Tally;
  /** The reasons given with objections and vetoes, sorted, so the entry does not depend on who answered first (nor names who gave them). */
  reasons: string[];
}

export interface DecisionInput {
  rule: DecisionRule;
  quorumPercent: number;
  /** Members whose responses count when the vote closes. */
  eligible: number;
  isInComposition: boolean;
  responses: readonly CountedResponse[];
}

/**
 * The outcome of a vote, computed (never typed in) from the responses' kinds alone, never from
 * anyone's bloc, so that an outcome never tells who (or which bloc) answered how:
 * - CONSENT: passes unless anyone objects or vetoes.
 * - CONSENSUS: passes only if every eligible member answered, none objected or vetoed, and at least one consented.
 * - CONSENSUS_MINUS_ONE: blocked by any veto (so by every edge steward's veto); passes when nobody vetoed
 *   and at most one member objected. (An advantaged veto used to count as one objection only; that made
 *   a lone veto's outcome tell its author's bloc, so every veto now blocks.)
 * - MAJORITY: needs a quorum (responses of at least ceil(quorum% x eligible) eligible members), then passes
 *   when consents outnumber objections plus vetoes; stand-asides count for the quorum only.
 * A body that cannot decide (nobody seated, or its published composition does not hold) decides nothing
 * (OUT_OF_COMPOSITION). Which rule applies is the caller's (see composition.ts howBodyDecides).
 */
export function decide(input: DecisionInput): Decision {
  const count = (kind: ResponseKind) => input.responses.filter((r) => r.response === kind).length;
  const tally: Tally = {
    eligible: input.eligible,
    consent: count("CONSENT"),
    standAside: count("STAND_ASIDE"),
    object: count("OBJECT"),
    veto: count("VETO"),
  };
  const reasons = input.responses
    .map((r) => r.reason)
    .filter((r): r is string => !!r)
    .sort();
  return { outcome: outcomeOf(input, tally), tally, reasons };
}

function outcomeOf(input: DecisionInput, tally: Tally): Outcome {
  if (!input.isInComposition || input.eligible === 0) return "OUT_OF_COMPOSITION";
  const answered = tally.consent + tally.standAside + tally.object + tally.veto;
  switch (input.rule) {
    case "CONSENT":
      return tally.object + tally.veto === 0 ? "PASSED" : "REJECTED";
    case "CONSENSUS":
      return answered === input.eligible && tally.object + tally.veto === 0 && tally.consent > 0
        ? "PASSED"
        : "REJECTED";
    case "CONSENSUS_MINUS_ONE":
      return tally.veto === 0 && tally.object <= 1 ? "PASSED" : "REJECTED";
    case "MAJORITY":
      if (answered < quorumOf(input.eligible, input.quorumPercent)) return "NO_QUORUM";
      return tally.consent > tally.object + tally.veto ? "PASSED" : "REJECTED";
  }
}

/** How many eligible members must answer: ceil(percent x eligible / 100), at least 1. */
export function quorumOf(eligible: number, percent: number): number {
  return Math.max(1, Math.ceil((eligible * percent) / 100));
}

/** A veto and an objection need a reason. */
export function responseProblem(response: ResponseKind, reason: string | undefined): string | undefined {
  if ((response === "VETO" || response === "OBJECT") && !reason?.trim())
    return `A ${response === "VETO" ? "veto" : "objection"} needs a reason, so the body can answer it.`;
  return undefined;
}
