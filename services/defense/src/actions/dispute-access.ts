import { forbidden, notFound, requireOwned, type Membership, type Queryable } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import type { DisputeStatus } from "../domain/disputes.js";
import { disputeById, lockDisputeStatus, type DisputeRow } from "../store/disputes.js";

const NO_DISPUTE = "No dispute with that id in your circles.";

/** A dispute of the caller's circles, its row locked in the action's transaction, with its status under the lock. */
export async function requireLockedDispute(
  context: DefenseContext,
  tx: Queryable,
  disputeId: string,
  mayAct?: { rule: (row: DisputeRow, membership: Membership) => boolean; refusal: string },
): Promise<{ row: DisputeRow; membership: Membership; status: DisputeStatus }> {
  const { row, membership } = await requireOwned(context.caller, disputeId, (id) => disputeById(tx, id), NO_DISPUTE);
  if (mayAct && !mayAct.rule(row, membership)) throw forbidden(mayAct.refusal);
  const status = await lockDisputeStatus(tx, row.id);
  if (!status) throw notFound(NO_DISPUTE);
  return { row, membership, status };
}

/** Only the dispute's mediators record its sessions and outcome. */
export const MEDIATORS_ONLY = {
  rule: (row: DisputeRow, membership: Membership) => row.mediatorMemberIds.includes(membership.memberId),
  refusal: "Only the dispute's mediators do this.",
};
