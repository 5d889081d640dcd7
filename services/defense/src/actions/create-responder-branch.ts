import { defineAction, isUuid, requireRole, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { planBranch, type BranchWish } from "../domain/responders.js";
import { branchesOfCircle, insertBranch } from "../store/responders.js";

export interface CreateResponderBranchInput extends BranchWish {
  circleId: string;
}

/** An organizer adds a branch to the circle's alert tree, under a parent or at the top. */
export const createResponderBranch = defineAction({
  authorize: async ({ caller, tx }: ActionStep<DefenseContext>, input: CreateResponderBranchInput) => {
    const { circleId } = requireRole(caller, input.circleId, "organizer");
    return {
      circleId,
      branches: await branchesOfCircle(tx, input.circleId),
      parentIdWellFormed: !input.parentBranchId || isUuid(input.parentBranchId),
    };
  },
  decide: (input: CreateResponderBranchInput, tree) => planBranch(input, tree),
  apply: ({ tx, now }, branch, { circleId }) => insertBranch(tx, circleId, branch, now),
});
