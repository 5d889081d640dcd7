import { defineAction, requireRole, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { changedSettings, type DefenseSettings } from "../domain/settings.js";
import { saveSettings, settingsOf } from "../store/settings.js";

export type ConfigureDefenseInput = { circleId: string } & Partial<Record<keyof DefenseSettings, number | null>>;

/** An organizer changes the circle's defense settings; omitted ones stay as they are. */
export const configureDefense = defineAction({
  authorize: async ({ caller, tx }: ActionStep<DefenseContext>, input: ConfigureDefenseInput) => {
    const { circleId } = requireRole(caller, input.circleId, "organizer");
    return { circleId, current: await settingsOf(tx, circleId) };
  },
  decide: (input: ConfigureDefenseInput, { current }) => changedSettings(input, current),
  apply: async ({ tx, now }, next, { circleId }) => {
    await saveSettings(tx, circleId, next, now);
    return next;
  },
});
