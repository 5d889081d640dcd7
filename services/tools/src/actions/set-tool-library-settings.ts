import { defineAction, requireRole } from "@rhizome/kit";
import { librarySettingsChange } from "../domain/loans.js";
import { librarySettingsOf, libraryRulesOf, setLibrarySettings } from "../store/settings.js";
import type { ToolsStep } from "./access.js";

export interface LibrarySettingsInput {
  circleId: string;
  maxOpenReservations?: number | null;
  reminderIntervalHours?: number | null;
}

/** An organizer sets the per-member limit of open reservations and the interval between overdue reminders. */
export const setToolLibrarySettings = defineAction({
  authorize: async ({ caller, tx }: ToolsStep, input: LibrarySettingsInput) => {
    const membership = requireRole(caller, input.circleId, "organizer");
    return { membership, current: await librarySettingsOf(tx, input.circleId) };
  },
  decide: (input, { current }) => librarySettingsChange(current, input),
  apply: async ({ tx, now }, settings, { membership }) => {
    await setLibrarySettings(tx, membership.circleId, membership.memberId, settings, now);
    return libraryRulesOf(tx, membership.circleId);
  },
});
