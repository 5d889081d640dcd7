import {
  forbidden,
  membershipIn,
  notFound,
  requireMembership,
  requireOwned,
  requirePerson,
  type Membership,
  type Queryable,
} from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { tagsEqual } from "../domain/sealing.js";
import { alertReach, alertsByIds, isCalledOrAsked, lockAlert, raiserTagText, type AlertRow } from "../store/alerts.js";
import { caseCircle, isHandler, type CaseKind } from "../store/cases.js";
import { responderOfMember, type ResponderRow } from "../store/responders.js";

export const NO_ALERT = "No alert with that id in your circles.";

/** A member of the circle who is one of its active responders, or FORBIDDEN (read through `db`, an action's transaction or the pool). */
export async function requireResponder(
  context: DefenseContext,
  circleId: string,
  what = "see the circle's alerts and responders",
  db: Queryable = context.db,
): Promise<{ membership: Membership; responder: ResponderRow }> {
  const membership = requireMembership(context.caller, circleId);
  const responder = await responderOfMember(db, circleId, membership.memberId);
  if (!responder) throw forbidden(`Only the circle's responders can ${what}; join them with joinResponders.`);
  return { membership, responder };
}

/** Whether this member raised the alert: their tag is recomputed and compared; nothing else records it. */
export async function isRaiserOf(
  context: DefenseContext,
  row: AlertRow,
  memberId: string | undefined,
  db: Queryable = context.db,
): Promise<boolean> {
  if (!memberId) return false;
  if (row.legacyRaisedByMemberId) return row.legacyRaisedByMemberId === memberId;
  if (!row.raiserTag) return false;
  return tagsEqual(row.raiserTag, await context.vault.tag(db, row.circleId, raiserTagText(row.id, memberId)));
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
export async function alertAccess(
  context: DefenseContext,
  row: AlertRow,
  db: Queryable = context.db,
): Promise<AlertAccess> {
  const membership = membershipIn(context.caller, row.circleId);
  if (!membership) return { isRaiser: false, responder: undefined, canSee: false };
  // One after the other: inside an action `db` is its transaction, one connection.
  const isRaiser = await isRaiserOf(context, row, membership.memberId, db);
  const responder = await responderOfMember(db, row.circleId, membership.memberId);
  const reach = await alertReach(db, row.id, responder?.id);
  return {
    isRaiser,
    responder,
    canSee: isRaiser || reach.isCalled || reach.isAskedToVerify || reach.isBroadcast,
  };
}

/**
 * The alert, if the caller may see it: NOT_FOUND for another circle or a wrong id, FORBIDDEN for a
 * member it is not for. A query reads through the request's loader; an action passes its
 * transaction (it holds one connection and reads through it).
 */
export async function requireAlert(
  context: DefenseContext,
  alertId: string,
  tx?: Queryable,
): Promise<{ row: AlertRow; membership: Membership; access: AlertAccess }> {
  const read = tx ? async (id: string) => (await alertsByIds(tx, [id]))[0] : (id: string) => context.alerts.load(id);
  const { row, membership } = await requireOwned(context.caller, alertId, read, NO_ALERT);
  const access = await alertAccess(context, row, tx);
  if (!access.canSee)
    throw forbidden(
      "Only whoever raised an alert, the responders called for it and the trusted responders asked to verify it see it (everyone once it is broadcast).",
    );
  return { row, membership, access };
}

/**
 * An alert the caller may see, locked in the action's transaction (its lock serializes every answer
 * and verification of the alert), with what the caller is to it.
 */
export async function requireLockedAlert(
  context: DefenseContext,
  tx: Queryable,
  alertId: string,
): Promise<{ alert: AlertRow; membership: Membership; access: AlertAccess }> {
  const { membership, access } = await requireAlert(context, alertId, tx);
  const alert = await lockAlert(tx, alertId);
  if (!alert) throw notFound(NO_ALERT);
  return { alert, membership, access };
}

/** The caller as a trusted responder called for the alert or asked to verify it, or undefined. */
export async function trustedResponderFor(
  tx: Queryable,
  alert: AlertRow,
  memberId: string,
): Promise<ResponderRow | undefined> {
  const responder = await responderOfMember(tx, alert.circleId, memberId);
  if (!responder?.isTrusted || !(await isCalledOrAsked(tx, alert.id, responder.id))) return undefined;
  return responder;
}

const NO_CASE = "No case with that id in your circles.";

/**
 * The case's circle and the caller's member id there, if they handle it: NOT_FOUND across circles,
 * FORBIDDEN for members who do not handle it. Handlers are granted by the people concerned (called
 * responders, accepted mediators, companions the person facing a hearing chose); the raiser of an
 * alert is recognised by the alert's tag, since no row names them.
 */
export async function requireHandler(
  context: DefenseContext,
  caseKind: CaseKind,
  caseId: string,
  db: Queryable = context.db,
): Promise<{ circleId: string; memberId: string }> {
  requirePerson(context.caller);
  const { row, membership } = await requireOwned(
    context.caller,
    caseId,
    async (id) => {
      const circleId = await caseCircle(db, caseKind, id);
      return circleId ? { circleId } : undefined;
    },
    NO_CASE,
  );
  const isRaiser = async () => {
    const [alert] = await alertsByIds(db, [caseId]);
    return alert !== undefined && (await isRaiserOf(context, alert, membership.memberId, db));
  };
  if (!(await isHandler(db, caseId, membership.memberId)) && !(caseKind === "ALERT" && (await isRaiser()))) {
    throw forbidden("Only the people handling this case read and write its notes.");
  }
  return { circleId: row.circleId, memberId: membership.memberId };
}
