import {
  asGiven,
  commitWitnessSeed,
  cycleContaining,
  defineAction,
  drawSealKey,
  requireMembership,
  witnessedDrawsByIds,
} from "@rhizome/kit";
import { CARETAKER_DRAW_PURPOSE } from "../domain/caretakers.js";
import type { ToolsStep } from "./access.js";

/** A member commits as a witness of the caretaker draw at the next new moon; the seed stays sealed until the pool freezes. */
export const commitCaretakerDrawSeed = defineAction({
  authorize: ({ caller }: ToolsStep, input: { circleId: string; seed: string }) =>
    requireMembership(caller, input.circleId),
  decide: asGiven,
  apply: async ({ context, tx, now }, { seed }, membership) => {
    // The kit's witnessed draws seal the seed and record the witness in a transaction of their own.
    const drawId = await commitWitnessSeed(
      context.db,
      drawSealKey(context.config.TOKEN_SECRET),
      {
        circleId: membership.circleId,
        purpose: CARETAKER_DRAW_PURPOSE,
        cycle: cycleContaining(now).label,
        memberId: membership.memberId,
        seed,
      },
      now,
    );
    return (await witnessedDrawsByIds(tx, [drawId]))[0];
  },
});
