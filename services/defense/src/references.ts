import { hasRole, isMemberOf, isUuid, membershipIn } from "@rhizome/kit";
import type { DefenseContext } from "./context.js";
import { alertAccess } from "./actions/access.js";
import { canSeeDisbursement, toDisbursement } from "./resolvers/fund.resolver.js";
import { disbursementsByIds } from "./store/fund.js";
import { toAlert, toResponder } from "./resolvers/mappers.js";

/**
 * How `_entities` turns keys into objects, guarded like any field: for anyone who could not read
 * the object through a field it is null, as if it did not exist.
 */
export const defenseReferences = {
  Alert: async (reference: { id: string }, context: DefenseContext) => {
    const row = isUuid(reference.id) ? await context.alerts.load(reference.id) : undefined;
    if (!row) return null;
    const access = await alertAccess(context, row);
    return access.canSee
      ? toAlert(row, {
          isRaiser: access.isRaiser,
          memberId: membershipIn(context.caller, row.circleId)?.memberId,
          responderId: access.responder?.id,
        })
      : null;
  },
  Responder: async (reference: { id: string }, context: DefenseContext) => {
    const row = isUuid(reference.id) ? await context.responders.load(reference.id) : undefined;
    if (!row || !isMemberOf(context.caller, row.circleId)) return null;
    const isOwn = membershipIn(context.caller, row.circleId)!.memberId === row.memberId;
    return isOwn || hasRole(context.caller, row.circleId, "organizer") ? toResponder(row) : null;
  },
  Disbursement: async (reference: { id: string }, context: DefenseContext) => {
    const [row] = isUuid(reference.id) ? await disbursementsByIds(context.db, [reference.id]) : [];
    return row && canSeeDisbursement(context, row) ? toDisbursement(row) : null;
  },
};
