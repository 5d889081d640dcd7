import { notFound, requireOwned, type Membership, type Queryable } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { disbursementsByIds, lockRequest, type DisbursementRow } from "../store/fund.js";

export const NO_REQUEST = "No disbursement request with that id in your circles.";

/**
 * A disbursement request of the caller's circles (with the role, when one is named), or NOT_FOUND /
 * FORBIDDEN; read through `db` (inside an action, its transaction: an action holds one connection).
 */
export async function requireRequest(
  context: DefenseContext,
  requestId: string,
  role?: "steward",
  db: Queryable = context.db,
): Promise<{ row: DisbursementRow; membership: Membership }> {
  return requireOwned(
    context.caller,
    requestId,
    async (id) => (await disbursementsByIds(db, [id]))[0],
    NO_REQUEST,
    role,
  );
}

/** A request a steward of its circle acts on, locked in the action's transaction. */
export async function requireLockedRequest(
  context: DefenseContext,
  tx: Queryable,
  requestId: string,
): Promise<{ request: DisbursementRow; membership: Membership }> {
  const { membership } = await requireRequest(context, requestId, "steward", tx);
  const request = await lockRequest(tx, requestId);
  if (!request) throw notFound(NO_REQUEST);
  return { request, membership };
}
