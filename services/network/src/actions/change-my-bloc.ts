import { defineAction, emitEvent, forbidden, requireMembership, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { planBlocChange, type Bloc } from "../domain/bloc.js";
import { blocInForce, cancelPendingBlocChange, insertBlocChange } from "../store/bloc-changes.js";
import { findPresentMember, lockPresentMember, type MemberRow } from "../store/members.js";

const ONLY_MEMBERS = "Only members of this circle can do this.";

/**
 * Asks for the member's own bloc to become `bloc` at the next new moon. A change asked for earlier in
 * the same cycle is replaced (asking for the bloc in force cancels it). Services that count blocs hear
 * of it through `member.bloc-change-scheduled`, which never carries the bloc.
 */
export const changeMyBloc = defineAction({
  authorize: async ({ caller, tx, now }: ActionStep<NetworkContext>, input: { circleId: string; bloc: Bloc }) => {
    const member = { circleId: input.circleId, memberId: requireMembership(caller, input.circleId).memberId };
    if (!(await lockPresentMember(tx, member.memberId, member.circleId))) throw forbidden(ONLY_MEMBERS);
    return { member, inForce: await blocInForce(tx, member.circleId, member.memberId, now) };
  },
  decide: (input, { inForce }, now) => planBlocChange(input.bloc, inForce, now),
  apply: async ({ tx, now }, plan, { member }): Promise<MemberRow> => {
    const cancelled = await cancelPendingBlocChange(tx, member.memberId, now);
    if (plan.bloc) await insertBlocChange(tx, { ...member, bloc: plan.bloc, effectiveAt: plan.effectiveAt }, now);
    if (plan.bloc || cancelled > 0)
      await emitEvent(tx, "member.bloc-change-scheduled", { ...member, cycle: plan.cycle }, now);
    const row = await findPresentMember(tx, member.memberId);
    if (!row) throw forbidden(ONLY_MEMBERS);
    return row;
  },
  emitsEvents: true,
});
