import { boundedText, conflict, defineAction, isRefusal, notFound, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { playbookProblem } from "../domain/experiments.js";
import { MAX_TEXT_LENGTH, MAX_TITLE_LENGTH } from "../domain/limits.js";
import { insertPlaybook, lockExperiment } from "../store/experiments.js";
import { NO_EXPERIMENT } from "./not-found.js";

export interface PublishPlaybookInput {
  experimentId: string;
  title: string;
  steps: string;
}

/** A member publishes a successful experiment as a playbook any circle can copy (one per experiment). */
export const publishPlaybook = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: PublishPlaybookInput) {
    const { row } = await requireOwned(caller, input.experimentId, (id) => context.experiments.load(id), NO_EXPERIMENT);
    const experiment = await lockExperiment(tx, row.id);
    if (!experiment) throw notFound(NO_EXPERIMENT);
    return experiment;
  },
  decide: (input, experiment) => {
    const title = boundedText("A playbook's title", input.title, MAX_TITLE_LENGTH);
    if (isRefusal(title)) return title;
    const steps = boundedText("A playbook's steps", input.steps, MAX_TEXT_LENGTH);
    if (isRefusal(steps)) return steps;
    return playbookProblem(experiment) ?? { title, steps };
  },
  async apply({ tx, now }, playbook, experiment) {
    const row = await insertPlaybook(tx, experiment, playbook, now);
    if (!row) throw conflict("This experiment is already a playbook.");
    return row;
  },
});
