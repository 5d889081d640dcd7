import type { Refusal, Verdict } from "@rhizome/kit/rules";
import { lendingProblem, type ToolCondition } from "./catalogue.js";

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

export type Problem = Refusal & { code: "BAD_USER_INPUT" | "CONFLICT" | "FORBIDDEN" };

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

/** Whether a new proposal may wait for confirmation: one pending hand-off per tool. */
export function pendingProblem(hasPending: boolean): Refusal | undefined {
  return hasPending
    ? {
        code: "CONFLICT",
        problem:
          "A hand-off of this tool is already waiting for confirmation; it must be confirmed, declined or cancelled first.",
      }
    : undefined;
}

/** Only a proposed hand-off can be confirmed, declined or cancelled. */
export function decisionProblem(status: HandOffStatus): Refusal | undefined {
  return status === "PROPOSED"
    ? undefined
    : { code: "CONFLICT", problem: `This hand-off is already ${status.toLowerCase()}.` };
}

export interface Confirmation {
  status: HandOffStatus;
  proposedByMemberId: string;
  /** The member confirming. */
  memberId: string;
  situation: HandOffSituation;
  /** Whether the receiver is still a member of the circle. */
  receiverIsMember: boolean;
}

/**
 * Whether the other party may confirm now: only a proposed hand-off, never by its proposer, checked
 * again against the tool as it is now, and only to a receiver still in the circle.
 */
export function confirmationProblem(c: Confirmation): Refusal | undefined {
  const undecided = decisionProblem(c.status);
  if (undecided) return undecided;
  if (c.proposedByMemberId === c.memberId)
    return { code: "FORBIDDEN", problem: "You proposed this hand-off: the other member confirms it." };
  const passing = handOffProblem(c.situation);
  if (passing) return passing;
  if (!c.receiverIsMember) return { code: "CONFLICT", problem: "The receiving member has left the circle." };
  return undefined;
}

export interface Proposal {
  circleId: string;
  toolId: string;
  fromMemberId: string;
  toMemberId: string;
}

/** A tool as the hand-off rules read it. */
export interface ToolInHand {
  id: string;
  circleId: string;
  holderMemberId: string;
  hostMemberId: string;
  condition: ToolCondition;
  retiredAt: Date | null;
}

/** The situation the hand-off rules judge: the tool as it is now, passing from one member to another. */
export function situationOf(
  tool: ToolInHand,
  passing: { fromMemberId: string; toMemberId: string; queueHeadMemberId: string | undefined },
): HandOffSituation {
  return {
    holderMemberId: tool.holderMemberId,
    hostMemberId: tool.hostMemberId,
    fromMemberId: passing.fromMemberId,
    toMemberId: passing.toMemberId,
    queueHeadMemberId: passing.queueHeadMemberId,
    lendingProblem: lendingProblem(tool),
  };
}

/**
 * A hand-off of the tool as it is now from one member to another, proposed by either: allowed by
 * the hand-off rules, and only when no other waits for confirmation.
 */
export function proposal(
  tool: ToolInHand,
  passing: { fromMemberId: string; toMemberId: string; queueHeadMemberId: string | undefined; hasPending: boolean },
): Verdict<Proposal> {
  const { fromMemberId, toMemberId } = passing;
  return (
    handOffProblem(situationOf(tool, passing)) ??
    pendingProblem(passing.hasPending) ?? { circleId: tool.circleId, toolId: tool.id, fromMemberId, toMemberId }
  );
}
