import { cycleContaining, manualClock, type LunarCycle } from "@rhizome/kit";
import { startTestService, type TestService } from "@rhizome/kit/testing";
import type { SovereigntyConfig } from "../../src/config.js";
import { sovereigntyService } from "../../src/service.js";

export type SovereigntyTestService = TestService<SovereigntyConfig>;

/**
 * Sovereignty in the test process with a clock the test moves and a database of its own, so that
 * closing a cycle here closes nothing another test file is looking at. The clock starts a day into
 * the cycle around the real date (the hub's own events are stamped with real time).
 */
export async function startSovereignty(databaseUrl?: string) {
  const cycle: LunarCycle = cycleContaining(new Date());
  const clock = manualClock(new Date(cycle.startsAt.getTime() + 24 * 3_600_000));
  const service = await startTestService(
    sovereigntyService,
    databaseUrl ? { clock, env: { DATABASE_URL: databaseUrl } } : { clock, ownDatabase: true },
  );
  return { service, clock, cycle };
}
