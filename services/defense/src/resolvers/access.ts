import {
  forbidden,
  isUuid,
  membershipIn,
  notFound,
  requireMembership,
  requireOwnedRow,
  type Membership,
} from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { tagsEqual } from "../domain/sealing.js";
import { alertReach, raiserTagText, type AlertRow } from "../store/alerts.js";
import { responderOfMember, type ResponderRow } from "../store/responders.js";

export const NO_ALERT = "No alert with that id in your circles.";

/** A member of the circle who is one of its active responders, or FORBIDDEN. */
export async function requireResponder(
  context: DefenseContext,
  circleId: string,
  what = "see the circle's alerts and responders",
): Promise<{ membership: Membership; responder: ResponderRow }> {
  const membership = requireMembership(context.caller, circleId);
  const responder = await responderOfMember(context.db, circleId, membership.memberId);
  if (!responder) throw forbidden(`Only the circle's responders can ${what}; join them with joinResponders.`);
  return { membership, responder };
}

/** Whether this member raised the alert: their tag is recomputed and compared; nothing else records it. */
export async function isRaiserOf(
  context: DefenseContext,
  row: AlertRow,
  memberId: string | undefined,
): Promise<boolean> {
  if (!memberId) return false;
  if (row.legacyRaisedByMemberId) return row.legacyRaisedByMemberId === memberId;
  if (!row.raiserTag) return false;
  return tagsEqual(row.raiserTag, await context.vault.tag(context.db, row.circleId, raiserTagText(row.id, memberId)));
}

/** What the caller is to an alert: its raiser, a responder called for it, a trusted responder, a member it was broadcast to. */
export interface AlertAccess {
  isRaiser: boolean;
  responder: ResponderRow | undefined;
  canSee: boolean;
}

/**
 * Who may see an alert: whoever raised it, the responders called for it, the trusted responders
 * asked to verify it, and once it was broadcast, every member of the circle (the broadcast already
 * told them). Being trusted, an organizer or a responder reads no other alert.
 */
export async function alertAccess(context: DefenseContext, row: AlertRow): Promise<AlertAccess> {
  const membership = membershipIn(context.caller, row.circleId);
  if (!membership) return { isRaiser: false, responder: undefined, canSee: false };
  const [isRaiser, responder] = await Promise.all([
    isRaiserOf(context, row, membership.memberId),
    responderOfMember(context.db, row.circleId, membership.memberId),
  ]);
  const reach = await alertReach(context.db, row.id, responder?.id);
  return {
    isRaiser,
    responder,
    canSee: isRaiser || reach.isCalled || reach.isAskedToVerify || reach.isBroadcast,
  };
}

/** The alert, if the caller may see it: NOT_FOUND for another circle or a wrong id, FORBIDDEN for a member it is not for. */
export async function requireAlert(
  context: DefenseContext,
  alertId: string,
): Promise<{ row: AlertRow; membership: Membership; access: AlertAccess }> {
  if (!isUuid(alertId)) throw notFound(NO_ALERT);
  const { row, membership } = requireOwnedRow(context.caller, await context.alerts.load(alertId), NO_ALERT);
  const access = await alertAccess(context, row);
  if (!access.canSee)
    throw forbidden(
      "Only whoever raised an alert, the responders called for it and the trusted responders asked to verify it see it (everyone once it is broadcast).",
    );
  return { row, membership, access };
}

export function requireUuid(value: string | null | undefined, message: string): void {
  if (value && !isUuid(value)) throw notFound(message);
}
