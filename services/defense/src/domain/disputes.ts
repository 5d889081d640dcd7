import { boundedText, isRefusal, type Refusal, type Verdict } from "@rhizome/kit/rules";

/** D6: mediation instead of police. Parties are pseudonyms the opener chooses, never names. */
export const MAX_PARTIES = 6;
export const MAX_PARTY_LENGTH = 40;
export const MAX_SUMMARY_LENGTH = 1000;

export type DisputeStatus = "OPEN" | "IN_MEDIATION" | "RESOLVED" | "UNRESOLVED";

/** A dispute brought to the circle: 2 to 6 different parties, each a pseudonym of 1 to 40 characters, and a summary. */
export function disputePlan<Input extends { parties: string[]; summary: string }>(input: Input): Verdict<Input> {
  const parties = [...new Set(input.parties.map((p) => p.trim()))];
  if (
    parties.length < 2 ||
    parties.length > MAX_PARTIES ||
    parties.some((p) => p.length === 0 || p.length > MAX_PARTY_LENGTH)
  )
    return {
      problem: `A dispute has 2 to ${MAX_PARTIES} different parties, each a pseudonym of 1 to ${MAX_PARTY_LENGTH} characters.`,
    };
  const summary = boundedText("A summary", input.summary, MAX_SUMMARY_LENGTH);
  return isRefusal(summary) ? summary : { ...input, parties, summary };
}

/** A closed dispute takes no more offers, mediators, sessions or outcomes. */
export function closedDispute(status: DisputeStatus): Refusal | undefined {
  if (status === "RESOLVED" || status === "UNRESOLVED")
    return { problem: `This dispute is already ${status}.`, code: "CONFLICT" };
  return undefined;
}

const NO_OFFER: Refusal = { problem: "No offer to mediate from that member on this dispute.", code: "NOT_FOUND" };

/**
 * Making a mediator of a pending offer: the opener accepts a member's own offer (`offered`), or a
 * member consents to the stewards' assignment (`assigned`).
 */
export function appointment(
  from: "offered" | "assigned",
  dispute: { status: DisputeStatus },
  offer: { memberIdWellFormed: boolean; isPending: boolean },
): Verdict<{ from: "offered" | "assigned" }> {
  if (!offer.memberIdWellFormed) return NO_OFFER;
  const closed = closedDispute(dispute.status);
  if (closed) return closed;
  if (!offer.isPending)
    return from === "offered"
      ? NO_OFFER
      : {
          problem: "Nobody asked you to mediate this dispute: offer with offerMediation, and its opener decides.",
          code: "FORBIDDEN",
        };
  return { from };
}

/** The stewards ask a member (never the opener) to mediate an open dispute. */
export function assignment(
  memberId: { value: string; isWellFormed: boolean },
  dispute: { status: DisputeStatus; openedByMemberId: string | null },
): Verdict<{ memberId: string }> {
  if (!memberId.isWellFormed) return { problem: "memberId is not a member id." };
  if (memberId.value === dispute.openedByMemberId) return { problem: "Whoever opened a dispute does not mediate it." };
  return closedDispute(dispute.status) ?? { memberId: memberId.value };
}

/** A session is recorded once it has been held, on an open dispute. */
export function sessionPlan(heldAt: Date, dispute: { status: DisputeStatus }, now: Date): Verdict<{ heldAt: Date }> {
  if (heldAt.getTime() > now.getTime()) return { problem: "A session is recorded once it has been held." };
  return closedDispute(dispute.status) ?? { heldAt };
}

/** The outcome of an open dispute, recorded only after at least one session; an agreement without police is announced. */
export function resolutionPlan(
  input: { outcome: "AGREEMENT" | "NO_AGREEMENT"; policeInvolved: boolean },
  dispute: { status: DisputeStatus; sessions: readonly Date[] },
): Verdict<{ outcome: "AGREEMENT" | "NO_AGREEMENT"; policeInvolved: boolean; isMediatedWithoutPolice: boolean }> {
  const closed = closedDispute(dispute.status);
  if (closed) return closed;
  if (dispute.sessions.length === 0)
    return {
      problem:
        "Record at least one mediation session (recordMediationSession) before the outcome: a dispute is resolved only after its parties met.",
      code: "CONFLICT",
    };
  return { ...input, isMediatedWithoutPolice: input.outcome === "AGREEMENT" && !input.policeInvolved };
}
