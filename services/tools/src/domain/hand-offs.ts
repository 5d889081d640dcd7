export const handOffStatuses = ["PROPOSED", "CONFIRMED", "DECLINED", "CANCELLED", "LAPSED"] as const;
export type HandOffStatus = (typeof handOffStatuses)[number];

export interface HandOffSituation {
  holderMemberId: string;
  hostMemberId: string;
  fromMemberId: string;
  toMemberId: string;
  /** The member first in the queue, if anyone waits. */
  queueHeadMemberId: string | undefined;
  /** Why the tool may not go out on a loan now, if it may not (lendingProblem). */
  lendingProblem: string | undefined;
}

export type Problem = { code: "BAD_USER_INPUT" | "CONFLICT" | "FORBIDDEN"; problem: string };

/**
 * Whether custody may pass from `from` to `to` now. The holder gives; the tool goes to the head of
 * the queue, or, when nobody waits, to anyone (back to the host ends the loan). A tool that may not
 * be lent can still go home to its host.
 */
export function handOffProblem(s: HandOffSituation): Problem | undefined {
  if (s.fromMemberId === s.toMemberId)
    return { code: "BAD_USER_INPUT", problem: "A hand-off needs two different members." };
  if (s.fromMemberId !== s.holderMemberId)
    return {
      code: "CONFLICT",
      problem: "Only the member who holds the tool now can hand it on; it has changed hands.",
    };
  if (s.queueHeadMemberId && s.toMemberId !== s.queueHeadMemberId) {
    return {
      code: "CONFLICT",
      problem: "Someone else is first in this tool's queue: hand it to them, or wait until the queue is empty.",
    };
  }
  if (s.toMemberId !== s.hostMemberId && s.lendingProblem) return { code: "CONFLICT", problem: s.lendingProblem };
  return undefined;
}
