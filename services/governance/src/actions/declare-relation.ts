import { asGiven, conflict, defineAction, notFound, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { insertRelation, removeRelation } from "../store/power-map.js";
import { blocOfCaller } from "./caller-bloc.js";
import { NO_POWER_NODE } from "./not-found.js";

/** The node, the caller and their bloc as counted (asked of network, an HTTP call inside the transaction). */
async function relationAccess({ context, caller, tx }: ActionStep<GovernanceContext>, nodeId: string) {
  const { row, membership } = await requireOwned(caller, nodeId, (id) => context.powerNodes.load(id), NO_POWER_NODE);
  return { node: row, memberId: membership.memberId, bloc: await blocOfCaller(context, tx, membership) };
}

/**
 * The paired use cases of one relation: a member declares that a node can arbitrarily say no to them
 * (counted under their private bloc; nobody sees who declared), or withdraws it (the bloc says which
 * count to lower).
 */
export const declareRelation = defineAction({
  authorize: relationAccess,
  decide: asGiven,
  async apply({ tx }, _nodeId, { node, memberId, bloc }) {
    if (!(await insertRelation(tx, node, memberId, bloc))) throw conflict("You already declared this relation.");
    return node;
  },
});

export const withdrawRelation = defineAction({
  authorize: relationAccess,
  decide: asGiven,
  async apply({ tx }, _nodeId, { node, memberId, bloc }) {
    if (!(await removeRelation(tx, node, memberId, bloc))) throw notFound("You have not declared this relation.");
    return node;
  },
});
