export const listingKinds = ["OFFER", "REQUEST"] as const;
/** OFFER: what a member can give. REQUEST: what a member needs. */
export type ListingKind = (typeof listingKinds)[number];

export const MAX_LISTING_DESCRIPTION_LENGTH = 500;
export const MAX_OPEN_LISTINGS_PER_MEMBER = 50;
export const MAX_SEARCH_TEXT_LENGTH = 100;

export type DescriptionResult = { description: string } | { problem: string };

export function normaliseDescription(raw: string): DescriptionResult {
  const description = raw.trim();
  if (description.length === 0) return { problem: "Describe what you offer or need in a few words." };
  if (description.length > MAX_LISTING_DESCRIPTION_LENGTH) {
    return {
      problem: `The description is ${description.length} characters; keep it to ${MAX_LISTING_DESCRIPTION_LENGTH}.`,
    };
  }
  return { description };
}

/** Why a member with `openListings` open listings may not publish another, or undefined when they may. */
export function openListingsRefusal(openListings: number): { problem: string } | undefined {
  if (openListings < MAX_OPEN_LISTINGS_PER_MEMBER) return undefined;
  return { problem: `You have ${MAX_OPEN_LISTINGS_PER_MEMBER} open listings, the most allowed; withdraw one first.` };
}
