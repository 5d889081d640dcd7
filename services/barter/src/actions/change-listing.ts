import { conflict, defineAction, forbidden, requireOwned, type ActionStep } from "@rhizome/kit";
import type { BarterContext } from "../context.js";
import { lockListing, updateListing, withdrawListing, type ListingRow } from "../store/listings.js";
import { listingText } from "./publish-listing.js";

// Editing and withdrawing are one use case (the publisher changes their own open listing), so they share this file.

const NO_SUCH_LISTING = "No listing with that id in your circles.";
const WITHDRAWN = "This listing was withdrawn; publish a new one instead.";

/**
 * The caller's own open listing, locked: NOT_FOUND outside their circles (or for a malformed id),
 * FORBIDDEN for someone else's, CONFLICT once withdrawn.
 */
async function lockOwnOpenListing({ caller, tx }: ActionStep<BarterContext>, listingId: string): Promise<ListingRow> {
  const { row, membership } = await requireOwned(caller, listingId, (id) => lockListing(tx, id), NO_SUCH_LISTING);
  if (row.memberId !== membership.memberId)
    throw forbidden("Only the member who published a listing can change or withdraw it.");
  if (row.withdrawnAt) throw conflict(WITHDRAWN);
  return row;
}

export interface EditListingInput {
  listingId: string;
  skills?: string[] | null;
  description?: string | null;
}

/** The publisher changes the skills or description of their open listing; what they leave out stays. */
export const editListing = defineAction({
  authorize: (step: ActionStep<BarterContext>, input: EditListingInput) => lockOwnOpenListing(step, input.listingId),
  decide: (input, row) => listingText(input.skills ?? row.skills, input.description ?? row.description),
  apply: ({ tx, now }, changes, row) => updateListing(tx, row, changes, now),
  emitsEvents: true,
});

/** The publisher withdraws their open listing; it stays in the cycle's anonymized summary. */
export const withdrawOwnListing = defineAction({
  authorize: (step: ActionStep<BarterContext>, input: { listingId: string }) =>
    lockOwnOpenListing(step, input.listingId),
  decide: (_input, row) => row,
  apply: ({ tx, now }, row) => withdrawListing(tx, row.id, now),
  emitsEvents: true,
});
