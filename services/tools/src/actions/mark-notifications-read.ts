import { defineAction, requireMembership } from "@rhizome/kit";
import { readMark } from "../domain/inbox.js";
import { markReadUpTo, unreadCountOf } from "../store/notifications.js";
import type { ToolsStep } from "./access.js";

/** Moves the member's read mark forward (never back, never past the hub's clock); answers how many stay unread. */
export const markNotificationsRead = defineAction({
  authorize: ({ caller }: ToolsStep, input: { circleId: string; upTo: Date }) =>
    requireMembership(caller, input.circleId),
  decide: (input, membership, now) => ({ mark: readMark(input.upTo, now) }),
  apply: async ({ tx }, { mark }, membership) => {
    await markReadUpTo(tx, membership.circleId, membership.memberId, mark);
    return unreadCountOf(tx, membership.circleId, membership.memberId);
  },
});
