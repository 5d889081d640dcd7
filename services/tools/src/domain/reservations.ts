import type { Refusal } from "@rhizome/kit/rules";

export const reservationStatuses = ["WAITING", "FULFILLED", "CANCELLED"] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

export interface ReservationSituation {
  tool: { retiredAt: Date | null; holderMemberId: string };
  memberId: string;
  /** The member's waiting reservations of this tool, and of every tool of the circle. */
  waitingHere: number;
  waitingAnywhere: number;
  /** The circle's limit of open reservations per member. */
  maxOpenReservations: number;
}

/** Whether the member may join the tool's queue now. */
export function reservationProblem(s: ReservationSituation): Refusal | undefined {
  if (s.tool.retiredAt) return { code: "CONFLICT", problem: "This tool is retired and can no longer be reserved." };
  if (s.tool.holderMemberId === s.memberId)
    return { problem: "You hold this tool already; there is nothing to reserve." };
  if (s.waitingHere > 0) return { code: "CONFLICT", problem: "You are already in this tool's queue." };
  if (s.waitingAnywhere >= s.maxOpenReservations)
    return {
      problem: `You already wait for ${s.waitingAnywhere} tools, this circle's limit of open reservations (${s.maxOpenReservations}); cancel one first.`,
    };
  return undefined;
}

/** Only a waiting reservation leaves its queue. */
export function cancellationProblem(status: ReservationStatus): Refusal | undefined {
  return status === "WAITING"
    ? undefined
    : {
        code: "CONFLICT",
        problem: `This reservation is ${status.toLowerCase()}; only a waiting one can be cancelled.`,
      };
}
