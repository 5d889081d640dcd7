import { conflict, cycleContaining, defineAction, refusalError, type ActionStep } from "@rhizome/kit";
import { attendanceRefusal } from "../domain/skill-shares.js";
import type { BarterContext } from "../context.js";
import { findExchange, type ExchangeRow } from "../store/exchanges.js";
import { lockAttendanceRecordedAt, recordAttendanceExchanges, shareSignedUpAttendees } from "../store/skill-shares.js";
import { lockActingMember } from "./acting-member.js";
import { requireSkillShareOfCircle } from "./sign-up-for-skill-share.js";

export interface RecordAttendanceInput {
  skillShareId: string;
  attendeeMemberIds: string[];
}

/**
 * The host records who came, once, after it began: each attendee gets an exchange proposed by the
 * host (the host gave the share's minutes), which the attendee confirms or declines as usual.
 * Everyone named must have signed up and still be in the circle; otherwise nothing is recorded.
 */
export const recordSkillShareAttendance = defineAction({
  authorize: (step: ActionStep<BarterContext>, input: RecordAttendanceInput) =>
    requireSkillShareOfCircle(step, input.skillShareId),
  decide: (input, { row, membership }, now) =>
    attendanceRefusal(row, membership.memberId, input.attendeeMemberIds, now) ?? [...new Set(input.attendeeMemberIds)],
  apply: async ({ tx, now }, attendees: string[], { row: share, membership }): Promise<ExchangeRow[]> => {
    if (await lockAttendanceRecordedAt(tx, share.id))
      throw conflict("Who came to this skill share is already recorded.");
    await lockActingMember(tx, membership, now);
    const signedUp = await shareSignedUpAttendees(tx, share, attendees);
    const missing = attendees.filter((id) => !signedUp.includes(id));
    if (missing.length > 0)
      throw refusalError({
        problem: `${missing.length} of the members named did not sign up for this skill share (or left the circle); name only those who signed up.`,
      });
    const exchangeIds = await recordAttendanceExchanges(tx, share, attendees, now, cycleContaining(now).label);
    const exchanges: ExchangeRow[] = [];
    for (const exchangeId of exchangeIds) {
      const exchange = await findExchange(tx, exchangeId);
      if (exchange) exchanges.push(exchange);
    }
    return exchanges;
  },
});
