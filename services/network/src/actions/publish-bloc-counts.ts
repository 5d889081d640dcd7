import { cycleContaining, defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { hasClosedCycle, nextBlocSnapshot, type BlocSnapshot, type CountsSince } from "../domain/bloc.js";
import { blocCountsSince, insertBlocSnapshot, latestBlocSnapshot } from "../store/bloc-snapshots.js";
import { lockCircleFoundedAt } from "../store/circles.js";
import type { BlocCounts } from "../store/members.js";

/** What the circle holds when a member reads its bloc counts. */
type Reading =
  | { kind: "beforeFirstCycle" }
  | { kind: "published"; snapshot: BlocSnapshot }
  | { kind: "firstOfCycle"; latest: BlocSnapshot | undefined; counts: CountsSince };

/** The counts members read this cycle, and whether this reading publishes them. */
type Publication = { snapshot: BlocSnapshot | undefined; isNew: boolean };

async function readCircle(step: ActionStep<NetworkContext>, circleId: string): Promise<Reading> {
  const { tx, now } = step;
  const foundedAt = await lockCircleFoundedAt(tx, circleId);
  if (!foundedAt || !hasClosedCycle(foundedAt, now)) return { kind: "beforeFirstCycle" };
  const latest = await latestBlocSnapshot(tx, circleId);
  if (latest?.cycle === cycleContaining(now).label) return { kind: "published", snapshot: latest };
  const counts = await blocCountsSince(tx, circleId, latest?.countedAt ?? new Date(0), now);
  return { kind: "firstOfCycle", latest, counts };
}

function publication(reading: Reading, now: Date): Publication {
  if (reading.kind === "beforeFirstCycle") return { snapshot: undefined, isNew: false };
  if (reading.kind === "published") return { snapshot: reading.snapshot, isNew: false };
  return { snapshot: nextBlocSnapshot(reading.latest, reading.counts, now), isNew: true };
}

/**
 * The bloc breakdown of a circle as members may read it during the cycle that contains now, or
 * undefined before the circle's first cycle has closed. Not a mutation, but it writes: the first
 * reading of a cycle publishes the cycle's counts (domain's nextBlocSnapshot), with the circle locked
 * so two first readings agree. Nothing a member does during a cycle changes what anyone reads in it.
 */
export const publishBlocCounts = defineAction({
  authorize: async (step: ActionStep<NetworkContext>, input: { circleId: string }) => {
    requireMembership(step.caller, input.circleId);
    return readCircle(step, input.circleId);
  },
  decide: ({ circleId }, reading, now) => ({ circleId, ...publication(reading, now) }),
  apply: async ({ tx }, { circleId, snapshot, isNew }): Promise<BlocCounts | undefined> => {
    if (!snapshot) return undefined;
    if (isNew) await insertBlocSnapshot(tx, circleId, snapshot);
    return { edge: snapshot.edge, advantaged: snapshot.advantaged };
  },
});
