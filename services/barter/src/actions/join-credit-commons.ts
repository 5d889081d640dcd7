import { conflict, defineAction, requireRole, type Membership } from "@rhizome/kit";
import { joinProblem } from "../domain/credit-commons.js";
import type { BarterContext } from "../context.js";
import type { NodeConfig } from "../credit-commons/node-config.js";
import { openMemberAccount } from "../store/accounts.js";
import { joinCreditCommons as joinLedger, type CcLedger } from "../store/credit-commons.js";
import { nodeOf } from "./credit-commons-node.js";

export interface JoinCreditCommonsInput {
  circleId: string;
  ledgerName: string;
  tradeLimitMinutes: number;
}

interface Organizer {
  organizer: Membership;
  node: NodeConfig;
}

/**
 * An organizer makes their circle a ledger of this hub's Credit Commons node, so its members can
 * trade with circles on other hubs within a balance-of-trade limit per cycle; again, it changes the
 * limit. Answers the ledger and the node it joined.
 */
export const joinCreditCommons = defineAction<
  BarterContext,
  JoinCreditCommonsInput,
  Organizer,
  JoinCreditCommonsInput,
  { ledger: CcLedger; node: NodeConfig }
>({
  authorize: ({ caller, context }, input) => {
    const organizer = requireRole(caller, input.circleId, "organizer");
    return { organizer, node: nodeOf(context).node };
  },
  decide: (input, { node }) => {
    const problem = joinProblem(input.ledgerName, input.tradeLimitMinutes, node);
    return problem ? { problem } : input;
  },
  apply: async ({ tx, now }, input, { organizer, node }) => {
    await openMemberAccount(tx, input.circleId, organizer.memberId, now);
    const joined = await joinLedger(tx, input, now);
    if ("ledger" in joined) return { ledger: joined.ledger, node };
    throw conflict(
      joined.refused === "NAME_STAYS"
        ? `Your circle is already the ledger "${joined.ledgerName}" in the tree; its name stays, since members' addresses use it.`
        : `Another circle of this hub is already the ledger "${input.ledgerName}"; choose another name.`,
    );
  },
});
