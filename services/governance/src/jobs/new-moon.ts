import type { CycleJob } from "@rhizome/kit";
import { cycleByLabelOrThrow, followingCycle } from "@rhizome/kit";
import { ensureCommonsAssembly } from "../store/assemblies.js";
import { judgeExperimentsOf } from "../store/experiments.js";
import { rotateRoles } from "../store/roles.js";

/**
 * Roles rotate at every new moon, once per circle and cycle: each active role gets a new draw
 * committed to its body's seated members (draws' unique (role, cycle) keeps it to one), and the new
 * holders' powers hold from the commit on, since powers are read from the tables on every request.
 */
export const roleRotationJob: CycleJob<never, { rolesRotated: number }> = {
  purpose: "role-rotation",
  async run({ db, circleId, cycle, now }) {
    return { rolesRotated: await rotateRoles(db, circleId, cycle.label, now) };
  },
};

/** At the end of a cycle its experiments are judged by their one figure, and the next cycle's commons assembly is opened. */
export const cycleReviewJob: CycleJob<never, { experimentsJudged: number; commonsAssemblyOpened: boolean }> = {
  purpose: "cycle-review",
  async run({ db, circleId, cycle, now }) {
    const experimentsJudged = await judgeExperimentsOf(db, circleId, cycle.label, now);
    const next = followingCycle(cycleByLabelOrThrow(cycle.label));
    return { experimentsJudged, commonsAssemblyOpened: await ensureCommonsAssembly(db, circleId, next.label, now) };
  },
};
