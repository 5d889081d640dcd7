import type { AlertRow } from "../store/alerts.js";
import type { BranchRow, ResponderRow } from "../store/responders.js";
import { Alert, DefenseCircle, DefenseMember, Responder, ResponderBranch, ResponderShift } from "./types.js";

export const circleRef = (id: string) => Object.assign(new DefenseCircle(), { id });
export const memberRef = (id: string) => Object.assign(new DefenseMember(), { id });

/** An alert as one viewer sees it: `raisedByMe` for its raiser alone, and that viewer's calls and log entries only. */
export function toAlert(
  row: AlertRow,
  viewer: { isRaiser: boolean; memberId: string | undefined; responderId: string | undefined },
): Alert {
  return Object.assign(new Alert(), {
    id: row.id,
    circle: circleRef(row.circleId),
    kind: row.kind,
    place: row.geohash,
    urgency: row.urgency,
    status: row.status,
    raisedByMe: viewer.isRaiser,
    raisedAt: row.raisedAt,
    expiresAt: row.expiresAt,
    verifiedAt: row.verifiedAt,
    closedAt: row.closedAt,
    circleId: row.circleId,
    textSealed: row.textSealed,
    viewerMemberId: viewer.memberId,
    viewerResponderId: viewer.responderId,
  });
}

export function toResponder(row: ResponderRow): Responder {
  return Object.assign(new Responder(), {
    id: row.id,
    circle: circleRef(row.circleId),
    member: memberRef(row.memberId),
    branchId: row.branchId,
    contactKind: row.contactKind,
    shifts: row.shifts.map((s) => Object.assign(new ResponderShift(), s)),
    isTrusted: row.isTrusted,
    joinedAt: row.joinedAt,
    circleId: row.circleId,
    memberId: row.memberId,
    contactSealed: row.contactSealed,
    contactSharedWithUrl: row.contactSharedWith,
  });
}

export function toBranch(row: BranchRow, responderCount: number): ResponderBranch {
  return Object.assign(new ResponderBranch(), {
    id: row.id,
    name: row.name,
    parentBranchId: row.parentBranchId,
    responderCount,
  });
}
