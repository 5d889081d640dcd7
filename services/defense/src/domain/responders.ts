import { boundedText, isRefusal, type Refusal, type Verdict } from "@rhizome/kit/rules";
import {
  chainOf,
  MAX_BRANCH_DEPTH,
  MAX_CONTACT_LENGTH,
  shiftsProblem,
  type ContactKind,
  type Shift,
} from "./alerts.js";

/** The most branches a circle's alert tree has. */
export const MAX_BRANCHES_PER_CIRCLE = 200;
/** The longest branch name, in characters. */
export const MAX_BRANCH_NAME_LENGTH = 40;

const NO_BRANCH: Refusal = { problem: "No branch with that id in this circle.", code: "NOT_FOUND" };

export interface BranchWish {
  name: string;
  parentBranchId?: string | null;
}

/**
 * A new branch of the tree: a name of 1 to 40 characters unique in the circle (case aside), under a
 * branch of the circle no deeper than MAX_BRANCH_DEPTH, in a tree of at most MAX_BRANCHES_PER_CIRCLE.
 */
export function planBranch(
  wish: BranchWish,
  tree: {
    branches: ReadonlyArray<{ id: string; name: string; parentBranchId: string | null }>;
    parentIdWellFormed: boolean;
  },
): Verdict<{ name: string; parentBranchId: string | null }> {
  const name = boundedText("A branch's name", wish.name, MAX_BRANCH_NAME_LENGTH);
  if (isRefusal(name)) return name;
  if (wish.parentBranchId && !tree.parentIdWellFormed) return NO_BRANCH;
  if (tree.branches.length >= MAX_BRANCHES_PER_CIRCLE)
    return { problem: `A circle has at most ${MAX_BRANCHES_PER_CIRCLE} branches.` };
  if (tree.branches.some((b) => b.name.toLowerCase() === name.toLowerCase()))
    return { problem: `The circle already has a branch named ${name}.`, code: "CONFLICT" };
  if (wish.parentBranchId) {
    const byId = new Map(tree.branches.map((b) => [b.id, b]));
    if (!byId.has(wish.parentBranchId)) return NO_BRANCH;
    if (chainOf(wish.parentBranchId, byId).length >= MAX_BRANCH_DEPTH)
      return { problem: `The tree is at most ${MAX_BRANCH_DEPTH} branches deep.` };
  }
  return { name, parentBranchId: wish.parentBranchId ?? null };
}

/** How a member offers to respond: valid shifts, and a contact detail unless they are reached through the inbox. */
export function responderOffer(offer: {
  contactKind: ContactKind;
  contact?: string | null;
  shifts: readonly Shift[];
}): Verdict<{ contact: string | null }> {
  const problem = shiftsProblem(offer.shifts);
  if (problem) return { problem };
  if (offer.contactKind === "INBOX") {
    if (offer.contact)
      return { problem: "An INBOX responder gives no contact detail; choose SMS, SIGNAL or EMAIL to give one." };
    return { contact: null };
  }
  const contact = boundedText(`A ${offer.contactKind} contact`, offer.contact ?? "", MAX_CONTACT_LENGTH);
  return isRefusal(contact) ? contact : { contact };
}

/**
 * A responder agrees that the circle's webhook, at exactly the URL they name, may receive their
 * contact (null withdraws): only with a contact to share, and only the webhook's current URL.
 */
export function contactSharing(
  url: string | null,
  responder: { hasContact: boolean },
  webhookUrl: string | undefined,
): Verdict<{ url: string | null }> {
  if (url === null) return { url };
  if (!responder.hasContact)
    return {
      problem:
        "You are reached through the inbox only; join the responders with an SMS, SIGNAL or EMAIL contact to share one.",
    };
  if (webhookUrl === undefined) return { problem: "The circle has no webhook to share your contact with." };
  if (webhookUrl !== url)
    return {
      problem:
        "That is not the circle's webhook URL (it may have changed); read it with defenseWebhook and agree to the URL you see.",
    };
  return { url };
}

/** Trusted responders read the alerts they verify: an organizer cannot grant that to themself. */
export function selfTrust<Input>(
  responder: { memberId: string },
  organizer: { memberId: string },
  input: Input,
): Verdict<Input> {
  if (responder.memberId === organizer.memberId)
    return { problem: "An organizer does not trust themself; another organizer decides.", code: "FORBIDDEN" };
  return input;
}
