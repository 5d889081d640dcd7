import { cycleByLabelOrThrow, type CycleJob, type EventHandler, type MemberBlocLookup } from "@rhizome/kit";
import { applyDueBlocChanges, forgetBlocChange, recordBlocChange } from "../store/bloc-changes.js";

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
 * At every new moon, once per circle and cycle, the bloc changes members asked for during the cycle
 * that ended take effect together: seat kinds and the power map's counts follow. What members read
 * of them changes only when the next closed-cycle figure is counted, under the kit's cohort rule.
 */
export const blocChangesJob: CycleJob<never, { membersChanged: number }> = {
  purpose: "bloc-changes",
  async run({ db, circleId, now }) {
    return { membersChanged: await applyDueBlocChanges(db, circleId, now) };
  },
};
