import type { Verdict } from "@rhizome/kit/rules";

/**
 * What withdrawing one of a member's own pledges or requests does: withdraw it, or nothing when it
 * is already withdrawn (a withdrawal sent twice, say from a phone's outbox, changes nothing more).
 * What others already count on can no longer be withdrawn.
 */
export type WithdrawalPlan = "withdraw" | "unchanged";

const refuse = (problem: string): Verdict<WithdrawalPlan> => ({ problem, code: "CONFLICT" });

/** A housing pledge: not once a match promised its room, nor while a suggested match waits for answers. */
export function housingPledgeWithdrawal(
  pledge: { withdrawnAt: Date | null; committedPeople: number },
  suggestedMatches: number,
): Verdict<WithdrawalPlan> {
  if (pledge.withdrawnAt) return "unchanged";
  if (pledge.committedPeople > 0)
    return refuse(
      "This pledge already houses someone through a confirmed match, so it can no longer be withdrawn. Talk with your guest.",
    );
  if (suggestedMatches > 0)
    return refuse("A match on this pledge waits for answers: decline it first, then withdraw the pledge.");
  return "withdraw";
}

/** A housing request: not once housed, nor while a suggested match waits for answers. */
export function housingRequestWithdrawal(
  request: { status: "OPEN" | "HOUSED" | "WITHDRAWN" },
  suggestedMatches: number,
): Verdict<WithdrawalPlan> {
  if (request.status === "WITHDRAWN") return "unchanged";
  if (request.status === "HOUSED")
    return refuse("This request was already met by a confirmed match, so it can no longer be withdrawn.");
  if (suggestedMatches > 0)
    return refuse("A match for this request waits for answers: decline it first, then withdraw the request.");
  return "withdraw";
}

/** A promise of money to the fund: not once money was received against it. */
export function fundPledgeWithdrawal(
  pledge: { withdrawnAt: Date | null },
  contributionsReceived: number,
): Verdict<WithdrawalPlan> {
  if (pledge.withdrawnAt) return "unchanged";
  if (contributionsReceived > 0)
    return refuse("The fund already received money against this pledge, so it can no longer be withdrawn.");
  return "withdraw";
}

/** A request to the fund: only while the stewards have not decided it. */
export function disbursementRequestWithdrawal(request: {
  status: "REQUESTED" | "APPROVED" | "DECLINED" | "PAID" | "WITHDRAWN";
}): Verdict<WithdrawalPlan> {
  if (request.status === "WITHDRAWN") return "unchanged";
  if (request.status !== "REQUESTED")
    return refuse(`This request was already ${request.status.toLowerCase()}, so it can no longer be withdrawn.`);
  return "withdraw";
}
