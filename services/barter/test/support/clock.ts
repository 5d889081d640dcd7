import { cycleContaining, type LunarCycle } from "@rhizome/kit";

const DAY_MS = 86_400_000;

/**
 * A cycle well in the future and an instant a week into it: stories told at this instant do not
 * change when a run spans a real new moon, and no expiry of a real cycle ever touches them.
 */
export const FIXED_CYCLE: LunarCycle = cycleContaining(new Date("2040-03-01T00:00:00.000Z"));
export const FIXED_NOW = new Date(FIXED_CYCLE.startsAt.getTime() + 7 * DAY_MS);
export const fixedClock = () => new Date(FIXED_NOW);
