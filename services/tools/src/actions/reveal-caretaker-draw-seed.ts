import { asGiven, defineAction, revealWitnessSeed, witnessedDrawsByIds } from "@rhizome/kit";
import { caretakerDrawOfYourCircle, type ToolsStep } from "./access.js";

/** A witness reveals their seed after the new moon froze the pool, checked in public against their commitment. */
export const revealCaretakerDrawSeed = defineAction({
  authorize: ({ caller, tx }: ToolsStep, input: { drawId: string; seed: string }) =>
    caretakerDrawOfYourCircle(caller, tx, input.drawId),
  decide: asGiven,
  apply: async ({ context, tx, now }, { seed }, { row, membership }) => {
    // The kit's witnessed draws check and record the seed in a transaction of their own.
    await revealWitnessSeed(context.db, row.id, membership.memberId, seed, now);
    return (await witnessedDrawsByIds(tx, [row.id]))[0];
  },
});
