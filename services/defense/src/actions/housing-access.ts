import { forbidden, requireOwned, type Membership, type Queryable } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { housingRequestById, matchById, type MatchRow, type RequestRow } from "../store/housing.js";

export const NO_HOUSING_REQUEST = "No housing request with that id in your circles.";
const NO_MATCH = "No housing match with that id in your circles.";

/** A housing request of the caller's circles that the caller made: NOT_FOUND across circles, FORBIDDEN for anyone else. */
export async function requireOwnRequest(
  context: DefenseContext,
  requestId: string,
  forbiddenMessage: string,
  db: Queryable = context.db,
): Promise<{ row: RequestRow; membership: Membership }> {
  const owned = await requireOwned(context.caller, requestId, (id) => housingRequestById(db, id), NO_HOUSING_REQUEST);
  if (owned.row.requesterMemberId !== owned.membership.memberId) throw forbidden(forbiddenMessage);
  return owned;
}

/** A housing match the caller hosts or is the guest of: NOT_FOUND across circles, FORBIDDEN for anyone else. */
export async function requireMatchParty(
  context: DefenseContext,
  matchId: string,
  db: Queryable = context.db,
): Promise<{ row: MatchRow; memberId: string }> {
  const { row, membership } = await requireOwned(context.caller, matchId, (id) => matchById(db, id), NO_MATCH);
  if (membership.memberId !== row.hostMemberId && membership.memberId !== row.guestMemberId)
    throw forbidden("Only the host and the guest see a match.");
  return { row, memberId: membership.memberId };
}
