import { conflict, defineAction, forbidden, isUuid, notFound, requireRole, type ActionStep } from "@rhizome/kit";
import type { BarterContext } from "../context.js";
import { activateLink, lockLink, type SisterLink } from "../store/sisters.js";
import { lockActingMember } from "./acting-member.js";

export const NO_SUCH_LINK = "No sister link with that id for your circle.";

export interface SisterLinkInput {
  circleId: string;
  linkId: string;
}

/** The link, locked, when the organizer's circle is one of its two: NOT_FOUND otherwise, as for a wrong id. */
export async function lockLinkOfCircle(tx: ActionStep["tx"], input: SisterLinkInput): Promise<SisterLink> {
  const link = isUuid(input.linkId) ? await lockLink(tx, input.linkId) : undefined;
  if (!link || (link.proposerCircleId !== input.circleId && link.accepterCircleId !== input.circleId))
    throw notFound(NO_SUCH_LINK);
  return link;
}

/**
 * An organizer of the circle a link was proposed to accepts it: the link becomes active and each
 * circle opens its clearing account for the other.
 */
export const acceptSisterLink = defineAction({
  authorize: async ({ caller, tx, now }: ActionStep<BarterContext>, input: SisterLinkInput) => {
    const organizer = requireRole(caller, input.circleId, "organizer");
    const link = await lockLinkOfCircle(tx, input);
    if (link.accepterCircleId !== input.circleId)
      throw forbidden("Your circle proposed this link; an organizer of the other circle accepts it.");
    if (link.status !== "PROPOSED")
      throw conflict(`This sister link is ${link.status.toLowerCase()}; only a proposed link can be accepted.`);
    await lockActingMember(tx, organizer, now);
    return link;
  },
  decide: (_input, link) => link,
  apply: ({ tx, now }, link) => activateLink(tx, link, now),
});
