import { notFound, requireOwned, requirePerson, type Membership } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";

/**
 * One of the caller's own pledges or requests. Anyone else's, another circle's and a wrong id are
 * the same NOT_FOUND with the same message, so nobody learns that someone else's exists.
 */
export async function requireOwnCommitment<Row extends { circleId: string }>(
  context: DefenseContext,
  id: string,
  read: (id: string) => Promise<Row | undefined>,
  ownerOf: (row: Row) => string,
  notFoundMessage: string,
): Promise<{ row: Row; membership: Membership }> {
  requirePerson(context.caller);
  const owned = await requireOwned(context.caller, id, read, notFoundMessage);
  if (ownerOf(owned.row) !== owned.membership.memberId) throw notFound(notFoundMessage);
  return owned;
}
