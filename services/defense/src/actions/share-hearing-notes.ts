import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { noteSharing } from "../domain/accompaniment.js";
import { addHandlers } from "../store/cases.js";
import { companionsOf } from "../store/hearings.js";
import { hearingView, requireOwnHearing } from "./hearing-access.js";

export interface ShareHearingNotesInput {
  hearingId: string;
  memberId: string;
}

/** The person facing a hearing makes a companion who signed up a handler of its case (they read and write its notes). */
export const shareHearingNotes = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, input: ShareHearingNotesInput) => {
    const { row, membership } = await requireOwnHearing(context, tx, input.hearingId);
    return { row, membership, companions: await companionsOf(tx, row.id) };
  },
  decide: (input: ShareHearingNotesInput, { companions }) => noteSharing(input.memberId, companions),
  apply: async ({ tx, now }, { memberId }, { row, membership, companions }) => {
    await addHandlers(tx, row.circleId, "HEARING", row.id, [memberId], now);
    return hearingView(tx, row, membership.memberId, companions);
  },
});
