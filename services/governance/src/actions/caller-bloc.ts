import { forbidden, type Membership, type MemberBloc, type Queryable } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { countedBlocWhileChanging } from "../store/bloc-changes.js";

/**
 * The caller's bloc as governance counts it: asked of network at this moment, except while a change
 * of theirs waits for the new moon's job here, when it is the bloc they are counted under until then
 * (so that job moves their seats and relations from one bloc to the other exactly once). Never
 * stored beyond what the rule needs.
 */
export async function blocOfCaller(
  context: GovernanceContext,
  tx: Queryable,
  membership: Membership,
): Promise<MemberBloc> {
  const bloc = await context.blocOf(membership.circleId, membership.memberId);
  if (!bloc) throw forbidden("Network does not know you as a present member of this circle.");
  return (await countedBlocWhileChanging(tx, membership.circleId, membership.memberId)) ?? bloc;
}
