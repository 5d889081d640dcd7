import { emitEvent, type Queryable } from "@rhizome/kit";
import type { ListingRow } from "./listings.js";

/** An open request is a need on sovereignty's board: it learns the request's skills, never its words. */
export async function tellRequestOpened(manager: Queryable, listing: ListingRow, now: Date): Promise<void> {
  if (listing.kind !== "REQUEST") return;
  await emitEvent(
    manager,
    "request.opened",
    { circleId: listing.circleId, listingId: listing.id, memberId: listing.memberId, skills: listing.skills },
    now,
  );
}

/** Requests withdrawn (one, or all of a member who left) are needs no longer. */
export async function tellRequestsClosed(
  manager: Queryable,
  closed: ReadonlyArray<{ id: string; circleId: string; kind: string }>,
  now: Date,
): Promise<void> {
  for (const listing of closed) {
    if (listing.kind === "REQUEST")
      await emitEvent(manager, "request.closed", { circleId: listing.circleId, listingId: listing.id }, now);
  }
}
