import { cycleContaining, requireRole, type Verdict } from "@rhizome/kit";
import { effectiveLinkStatus } from "../domain/sisters.js";
import { markLinkEnd, settlingBalance, type SisterLink } from "../store/sisters.js";
import { defineActionAfterLocks } from "./after-locks.js";
import { lockLinkOfCircle, type SisterLinkInput } from "./accept-sister-link.js";

interface EndingLink {
  link: SisterLink;
  now: Date;
  /** The balance of trade this cycle; zero for a link never accepted. */
  balanceMinutes: number;
}

/**
 * An organizer of either circle ends the link. A proposal that was never accepted is withdrawn at
 * once; an active link ends at once when the balance of trade is settled, otherwise it is ending:
 * no new proposals, only exchanges that settle, until the balance reaches zero or the new moon.
 * The instant is read once the link is locked; the balance with both cycle barriers held.
 */
export const endSisterLink = defineActionAfterLocks({
  authorize: async ({ caller, tx, context }, input: SisterLinkInput): Promise<EndingLink> => {
    requireRole(caller, input.circleId, "organizer");
    const link = await lockLinkOfCircle(tx, input);
    const now = context.clock();
    const status = effectiveLinkStatus(link, cycleContaining(now).label);
    const balanceMinutes = status === "ACTIVE" ? await settlingBalance(tx, link, cycleContaining(now).label) : 0;
    return { link, now, balanceMinutes };
  },
  decide: (_input, { link, now, balanceMinutes }): Verdict<"ENDED" | "ENDING" | "UNCHANGED"> => {
    const status = effectiveLinkStatus(link, cycleContaining(now).label);
    if (status === "ENDED") return { code: "CONFLICT", problem: "This sister link has already ended." };
    if (status === "ENDING") return "UNCHANGED";
    return balanceMinutes === 0 ? "ENDED" : "ENDING";
  },
  apply: async ({ tx, now }, end, { link }) => (end === "UNCHANGED" ? link : markLinkEnd(tx, link.id, end, now)),
});
