import { defineAction, refusalError, requireMembership, type Membership, type Verdict } from "@rhizome/kit";
import { normaliseDescription, openListingsRefusal, type ListingKind } from "../domain/listings.js";
import { normaliseSkills } from "../domain/skills.js";
import type { BarterContext } from "../context.js";
import { countOpenListings, insertListing, type ListingRow, type NewListing } from "../store/listings.js";
import { lockActingMember } from "./acting-member.js";

export interface PublishListingInput {
  circleId: string;
  kind: ListingKind;
  skills: string[];
  description: string;
  visibleToSisters?: boolean | null;
}

/** A listing's skills and description as the domain accepts them (both normalised), or the first problem. */
export function listingText(skills: string[], description: string): Verdict<{ skills: string[]; description: string }> {
  const normalisedSkills = normaliseSkills(skills);
  if ("problem" in normalisedSkills) return normalisedSkills;
  const normalisedDescription = normaliseDescription(description);
  if ("problem" in normalisedDescription) return normalisedDescription;
  return { skills: normalisedSkills.skills, description: normalisedDescription.description };
}

/**
 * A member publishes what they can give or need, unless they already have the most open listings
 * allowed. Their account row is locked FOR UPDATE before counting, so concurrent publishes by one
 * member queue there and each counts what the previous one committed: the cap holds under load.
 * The input is checked first, so a malformed listing reports its own problem.
 */
export const publishListing = defineAction<BarterContext, PublishListingInput, Membership, NewListing, ListingRow>({
  authorize: ({ caller }, input) => requireMembership(caller, input.circleId),
  decide: (input, membership) => {
    const text = listingText(input.skills, input.description);
    if ("problem" in text) return text;
    return {
      circleId: input.circleId,
      memberId: membership.memberId,
      kind: input.kind,
      ...text,
      isVisibleToSisters: input.visibleToSisters ?? false,
    };
  },
  apply: async ({ tx, now }, listing, membership) => {
    await lockActingMember(tx, membership, now, "update");
    const refused = openListingsRefusal(await countOpenListings(tx, listing.circleId, listing.memberId));
    if (refused) throw refusalError(refused);
    return insertListing(tx, listing, now);
  },
  emitsEvents: true,
});
