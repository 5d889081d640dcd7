import {
  boundedText,
  cycleContaining,
  defineAction,
  emitEvent,
  isRefusal,
  requireOwned,
  type ActionStep,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { replacedCommandProblem } from "../domain/experiments.js";
import { MAX_REASON_LENGTH } from "../domain/limits.js";
import { insertReplacedCommand, lockExperiment } from "../store/experiments.js";
import { NO_EXPERIMENT } from "./not-found.js";

export interface RecordReplacedCommandInput {
  experimentId: string;
  description: string;
}

/**
 * Records one command replaced by a consensual agreement during the experiment's cycle (its one
 * figure), and tells the hub (command.replaced, in the same transaction) so the sovereignty ledger counts it.
 */
export const recordReplacedCommand = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: RecordReplacedCommandInput) {
    const { row } = await requireOwned(caller, input.experimentId, (id) => context.experiments.load(id), NO_EXPERIMENT);
    return (await lockExperiment(tx, row.id)) ?? row;
  },
  decide: (input, experiment, now) => {
    const description = boundedText("A description", input.description, MAX_REASON_LENGTH);
    if (isRefusal(description)) return description;
    return replacedCommandProblem(experiment, cycleContaining(now).label) ?? description;
  },
  async apply({ tx, now }, description, experiment) {
    const recorded = await insertReplacedCommand(tx, experiment, description, now);
    const payload = { circleId: experiment.circleId, recordId: recorded.recordId, cycle: experiment.cycle, count: 1 };
    await emitEvent(tx, "command.replaced", payload, now);
    return recorded.experiment;
  },
  emitsEvents: true,
});
