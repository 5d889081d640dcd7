import { defineAction, isRefusal, requireOwned, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { signupPlan } from "../domain/accompaniment.js";
import { addSignup, hearingsByIds, shiftById } from "../store/hearings.js";
import { returnedRow } from "../store/returned.js";
import { hearingView } from "./hearing-access.js";

/** A member signs up to accompany someone for a shift; they read the hearing's notes only if the person facing it shares them. */
export const signUpForShift = defineAction({
  authorize: ({ caller, tx }: ActionStep<DefenseContext>, shiftId: string) =>
    requireOwned(caller, shiftId, (id) => shiftById(tx, id), "No shift with that id in your circles."),
  decide: (shiftId: string, { row }, now) => {
    const open = signupPlan(row, now);
    return isRefusal(open) ? open : { ...open, id: shiftId };
  },
  apply: async ({ tx, now }, shift, { membership }) => {
    await addSignup(tx, shift, membership.memberId, now);
    const [hearing] = await hearingsByIds(tx, [shift.hearingId]);
    return hearingView(tx, returnedRow(hearing, "SELECT hearings"), membership.memberId);
  },
});
