import { conflict, defineAction, isRefusal, requireRole, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { checkedBody } from "../domain/bodies.js";
import type { DecisionRule } from "../domain/decision-rules.js";
import { insertBody, type BodyKind } from "../store/bodies.js";

export interface CreateBodyInput {
  circleId: string;
  name: string;
  kind: BodyKind;
  decisionRule: DecisionRule;
  size: number;
  quorumPercent?: number | null;
}

/** An organizer creates a steward team or an assembly with its rule and size; names are unique in a circle. */
export const createBody = defineAction({
  authorize: ({ caller }: ActionStep<GovernanceContext>, input: CreateBodyInput) =>
    requireRole(caller, input.circleId, "organizer"),
  decide: (input, membership) => {
    const body = checkedBody(input);
    return isRefusal(body) ? body : { ...input, ...body, createdBy: membership.memberId };
  },
  apply: async ({ tx, now }, plan) => {
    const row = await insertBody(tx, plan, now);
    if (!row) throw conflict(`Your circle already has a body named "${plan.name}".`);
    return row;
  },
});
