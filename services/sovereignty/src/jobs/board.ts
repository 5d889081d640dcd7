import type { DataSource } from "typeorm";
import { cycleContaining, type Queryable } from "@rhizome/kit";
import { categoriesToReplace, type WaitingCategoryCounts } from "../domain/needs.js";
import {
  boardReconsideredIn,
  deleteSnapshots,
  insertSnapshot,
  isKnownCircle,
  liveCategoryNeeds,
  lockBoardSnapshot,
  markBoardReconsidered,
  publishedBoard,
  snapshotMembers,
} from "../store/needs.js";

/**
 * Members' open needs per category as the public board shows them: a snapshot reconsidered once per
 * lunar cycle, at the first read in it (this read runs the reconsideration in its own transaction,
 * as a job would), where each category's figure is replaced only when at least 5 members came or
 * went since it was published (domain `categoriesToReplace`). Nothing one member does changes what
 * anyone reads within a cycle, and across cycles only cohorts of 5 show.
 */
export async function publishedWaitingCounts(
  db: DataSource,
  circleId: string,
  now: Date,
): Promise<WaitingCategoryCounts[]> {
  const cycle = cycleContaining(now).label;
  if ((await boardReconsideredIn(db, circleId)) === cycle) return publishedBoard(db, circleId);
  // Anyone may read a board by any id: only circles the service knows get a snapshot written.
  if (!(await isKnownCircle(db, circleId))) return [];
  return db.transaction(async (tx) => {
    await lockBoardSnapshot(tx, circleId);
    if ((await boardReconsideredIn(tx, circleId)) !== cycle) await reconsiderBoard(tx, circleId, cycle);
    return publishedBoard(tx, circleId);
  });
}

async function reconsiderBoard(tx: Queryable, circleId: string, cycle: string): Promise<void> {
  const live = await liveCategoryNeeds(tx, circleId);
  const liveByCategory = new Map(live.map((counts) => [counts.category, counts]));
  const replaced = categoriesToReplace(
    await snapshotMembers(tx, circleId),
    new Map(live.map((counts) => [counts.category, new Set(counts.memberIds)])),
  );
  if (replaced.length > 0) {
    await deleteSnapshots(tx, circleId, replaced);
    for (const category of replaced) {
      const counts = liveByCategory.get(category);
      if (counts) await insertSnapshot(tx, circleId, counts, cycle);
    }
  }
  await markBoardReconsidered(tx, circleId, cycle);
}
