import type { CycleJob } from "@rhizome/kit";
import { cycleByLabelOrThrow, drawSealKey, followingCycle } from "@rhizome/kit";
import { ensureCommonsAssembly } from "../store/assemblies.js";
import { judgeExperimentsOf } from "../store/experiments.js";
import { rotateRoles } from "./role-rotation.js";
import { reviewCyclesOfPage, rotateRolesOfPage } from "./new-moon-pages.js";

/**
 * Roles rotate at every new moon, once per circle and cycle: each active role's witnessed draw of
 * the ended cycle is frozen (its pool, the body's seated members) and, with three witnesses or more,
 * drawn; the new holders' powers hold from the commit on, since powers are read from the tables on
 * every request. With fewer witnesses the holders carry over, and the draw says so.
 */
export const roleRotationJob: CycleJob<never, { rolesRotated: number }> = {
  purpose: "role-rotation",
  async run({ db, circleId, cycle, now, config }) {
    if (!config) throw new Error("Role rotation opens witnesses' sealed seeds, so it needs the service's settings.");
    return { rolesRotated: await rotateRoles(db, drawSealKey(config.TOKEN_SECRET), circleId, cycle.label, now) };
  },
  async runPage({ db, circleIds, cycle, now, config }) {
    if (!config) throw new Error("Role rotation opens witnesses' sealed seeds, so it needs the service's settings.");
    return rotateRolesOfPage(db, drawSealKey(config.TOKEN_SECRET), circleIds, cycle.label, now);
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
  async runPage({ db, circleIds, cycle, now }) {
    return reviewCyclesOfPage(db, circleIds, cycle.label, followingCycle(cycle).label, now);
  },
};
