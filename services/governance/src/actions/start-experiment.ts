import { boundedText, cycleContaining, defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { MAX_HYPOTHESIS_LENGTH } from "../domain/limits.js";
import { insertExperiment } from "../store/experiments.js";
import { NO_POWER_NODE } from "./not-found.js";

export interface StartExperimentInput {
  nodeId: string;
  hypothesis: string;
}

/** A member starts a one-cycle experiment against a node of the circle's power map, with its hypothesis. */
export const startExperiment = defineAction({
  authorize: async ({ context, caller }: ActionStep<GovernanceContext>, input: StartExperimentInput) =>
    (await requireOwned(caller, input.nodeId, (id) => context.powerNodes.load(id), NO_POWER_NODE)).row,
  decide: (input) => boundedText("A hypothesis", input.hypothesis, MAX_HYPOTHESIS_LENGTH),
  apply: ({ tx, now }, hypothesis, node) =>
    insertExperiment(
      tx,
      { circleId: node.circleId, nodeId: node.id, hypothesis, cycle: cycleContaining(now).label, copiedFrom: null },
      now,
    ),
});
