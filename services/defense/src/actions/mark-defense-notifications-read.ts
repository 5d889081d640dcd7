import { defineAction, requirePerson, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { readMarkAt } from "../domain/inbox.js";
import { markReadUpTo, unreadCountOf } from "../store/inbox-read-marks.js";

/** A person marks their own defense inbox read up to an instant (never ahead of the hub's clock); answers how many stay unread. */
export const markDefenseNotificationsRead = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, _upTo: Date) =>
    requirePerson(caller).memberships.map((m) => m.memberId),
  decide: (upTo: Date, _memberIds, now) => readMarkAt(upTo, now),
  apply: async ({ tx }, upTo, memberIds) => {
    await markReadUpTo(tx, memberIds, upTo);
    return unreadCountOf(tx, memberIds);
  },
});
