import { membershipIn, type Caller, type CircleRole, type Membership } from "../auth/auth.js";
import { forbidden, notFound } from "../runtime/errors.js";

/**
 * The one ownership rule: a row of a circle the caller does not belong to does not exist for them
 * (NOT_FOUND, the same answer as a wrong id, so ids of other circles reveal nothing); a member
 * without the needed role is FORBIDDEN. `notFoundMessage` names the thing: "No tool with that id in
 * your circles."
 */
export function requireOwnedRow<Row extends { circleId: string }>(
  caller: Caller,
  row: Row | null | undefined,
  notFoundMessage: string,
  role?: CircleRole,
): { row: Row; membership: Membership } {
  const membership = row ? membershipIn(caller, row.circleId) : undefined;
  if (!row || !membership) throw notFound(notFoundMessage);
  if (role && !membership.roles.includes(role)) throw forbidden(`Only a circle's ${role}s can do this.`);
  return { row, membership };
}
