import { forbidden, isUuid, membershipIn, notFound, requireMembership, requireOwnedRow, type Membership } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import type { AlertRow } from "../store/alerts.js";
import { responderOfMember, type ResponderRow } from "../store/responders.js";

export const NO_ALERT = "No alert with that id in your circles.";

/** A member of the circle who is one of its active responders, or FORBIDDEN. */
export async function requireResponder(context: DefenseContext, circleId: string, what = "see the circle's alerts and responders"): Promise<{ membership: Membership; responder: ResponderRow }> {
  const membership = requireMembership(context.caller, circleId);
  const responder = await responderOfMember(context.db, circleId, membership.memberId);
  if (!responder) throw forbidden(`Only the circle's responders can ${what}; join them with joinResponders.`);
  return { membership, responder };
}

/** Whether the caller may see this alert: whoever raised it, and the circle's responders. */
export async function canSeeAlert(context: DefenseContext, row: AlertRow): Promise<boolean> {
  const membership = membershipIn(context.caller, row.circleId);
  if (!membership) return false;
  if (row.raisedByMemberId === membership.memberId) return true;
  return (await responderOfMember(context.db, row.circleId, membership.memberId)) !== undefined;
}

/** The alert, if the caller may see it: NOT_FOUND for another circle or a wrong id, FORBIDDEN for a member who is not a responder. */
export async function requireAlert(context: DefenseContext, alertId: string): Promise<{ row: AlertRow; membership: Membership }> {
  if (!isUuid(alertId)) throw notFound(NO_ALERT);
  const { row, membership } = requireOwnedRow(context.caller, await context.alerts.load(alertId), NO_ALERT);
  if (!(await canSeeAlert(context, row))) throw forbidden("Only the circle's responders and whoever raised an alert can see it.");
  return { row, membership };
}

export function requireUuid(value: string | null | undefined, message: string): void {
  if (value && !isUuid(value)) throw notFound(message);
}
