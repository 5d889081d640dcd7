import { badInput, conflict, defineAction, notFound, requireRole, type Membership } from "@rhizome/kit";
import { balanceLimitProblem, MAX_LIVE_SISTER_LINKS } from "../domain/sisters.js";
import { limitRefusal } from "../domain/confirmation.js";
import type { BarterContext } from "../context.js";
import { circleBarters, insertLinkProposal, lockLiveLinkCount, type SisterLink } from "../store/sisters.js";
import { lockActingMember } from "./acting-member.js";

const CIRCLE_WITHOUT_BARTER = "No circle with that id barters on this hub yet.";

export interface ProposeSisterLinkInput {
  circleId: string;
  sisterCircleId: string;
  balanceLimitMinutes: number;
}

/**
 * An organizer of a circle proposes to link it with another as sisters, with a limit on the balance
 * of trade; an organizer there accepts. A circle's own proposals are serialized on its settings
 * row, so the cap on live links holds.
 */
export const proposeSisterLink = defineAction<
  BarterContext,
  ProposeSisterLinkInput,
  Membership,
  ProposeSisterLinkInput,
  SisterLink
>({
  authorize: ({ caller }, input) => requireRole(caller, input.circleId, "organizer"),
  decide: (input) => {
    const limit = limitRefusal(balanceLimitProblem(input.balanceLimitMinutes));
    if (limit) return limit;
    if (input.circleId === input.sisterCircleId)
      return { problem: "A circle cannot be its own sister; name another circle." };
    return input;
  },
  apply: async ({ tx, now }, proposal, organizer) => {
    await lockActingMember(tx, organizer, now);
    if (!(await circleBarters(tx, proposal.sisterCircleId))) throw notFound(CIRCLE_WITHOUT_BARTER);
    if ((await lockLiveLinkCount(tx, proposal.circleId)) >= MAX_LIVE_SISTER_LINKS)
      throw badInput(`A circle can have at most ${MAX_LIVE_SISTER_LINKS} sister links at once; end one first.`);
    const link = await insertLinkProposal(tx, proposal, now);
    if (!link)
      throw conflict("These circles already have a sister link, proposed or active; end it before proposing another.");
    return link;
  },
});
