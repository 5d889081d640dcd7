import { conflict, defineAction, isRefusal, requireMembership, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { checkedPowerNode, type PowerFlow, type PowerNodeKind } from "../domain/power-map.js";
import { insertPowerNode, MAX_POWER_NODES_PER_CIRCLE } from "../store/power-map.js";

export interface AddPowerNodeInput {
  circleId: string;
  kind: PowerNodeKind;
  label: string;
  flows: PowerFlow[];
}

/** A member adds a node to the circle's power map: a role or institution that can arbitrarily say no, and its flows. */
export const addPowerNode = defineAction({
  authorize: ({ caller }: ActionStep<GovernanceContext>, input: AddPowerNodeInput) =>
    requireMembership(caller, input.circleId),
  decide: (input) => {
    const node = checkedPowerNode(input.label, input.flows);
    return isRefusal(node) ? node : { ...node, circleId: input.circleId, kind: input.kind };
  },
  async apply({ tx, now }, node) {
    const row = await insertPowerNode(tx, node, now);
    if (!row) throw conflict(`A circle's power map holds at most ${MAX_POWER_NODES_PER_CIRCLE} nodes.`);
    return row;
  },
});
