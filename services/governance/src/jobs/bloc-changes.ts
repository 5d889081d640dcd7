import { cycleByLabelOrThrow, type CycleJob, type EventHandler, type MemberBlocLookup } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import { blocChangesOfPage } from "./new-moon-pages.js";
import {
  applyBlocChange,
  BLOC_CHANGE_BATCH_SIZE,
  forgetBlocChange,
  forgetBlocChanges,
  lockDueBlocChanges,
  recordBlocChange,
} from "../store/bloc-changes.js";

/**
 * A member changed their declared bloc, in force from a new moon: governance asks network which bloc
 * holds just before and from then, and keeps the change until the new moon's job applies it.
 */
export function onBlocChangeScheduled(blocOf: MemberBlocLookup): EventHandler<"member.bloc-change-scheduled"> {
  return async (manager, event) => {
    const effectiveAt = cycleByLabelOrThrow(event.payload.cycle).startsAt;
    const { circleId, memberId } = event.payload;
    const fromBloc = await blocOf(circleId, memberId, new Date(effectiveAt.getTime() - 1));
    const toBloc = await blocOf(circleId, memberId, effectiveAt);
    if (!fromBloc || !toBloc) return forgetBlocChange(manager, circleId, memberId);
    await recordBlocChange(manager, { circleId, memberId, fromBloc, toBloc, effectiveAt });
  };
}

/**
 * Applies, in one batch per transaction, every bloc change of the circle in force by `now` (see the
 * store's applyBlocChange). Returns how many members' changes were applied.
 */
export async function applyDueBlocChanges(db: DataSource, circleId: string, now: Date): Promise<number> {
  let applied = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const due = await lockDueBlocChanges(tx, circleId, now, BLOC_CHANGE_BATCH_SIZE);
      for (const change of due) await applyBlocChange(tx, circleId, change, now);
      await forgetBlocChanges(
        tx,
        circleId,
        due.map((d) => d.memberId),
      );
      return due.length;
    });
    applied += count;
    if (count < BLOC_CHANGE_BATCH_SIZE) return applied;
  }
}

/**
 * At every new moon, once per circle and cycle, the bloc changes members asked for during the cycle
 * that ended take effect together: seat kinds and the power map's counts follow. What members read
 * of them changes only when the next closed-cycle figure is counted, under the kit's cohort rule.
 */
export const blocChangesJob: CycleJob<never, { membersChanged: number }> = {
  purpose: "bloc-changes",
  async run({ db, circleId, now }) {
    return { membersChanged: await applyDueBlocChanges(db, circleId, now) };
  },
  async runPage({ db, circleIds, now }) {
    return blocChangesOfPage(db, circleIds, now);
  },
};
