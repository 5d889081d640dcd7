import type { Refusal } from "@rhizome/kit/rules";

export type ExperimentStatus = "RUNNING" | "SUCCEEDED" | "INCONCLUSIVE";

/** An experiment is judged by one figure: commands replaced by consensual agreements during its cycle. */
export function judgeExperiment(commandsReplaced: number): ExperimentStatus {
  return commandsReplaced > 0 ? "SUCCEEDED" : "INCONCLUSIVE";
}

/** Only commands replaced during the experiment's own cycle, while it runs, count (a CONFLICT otherwise). */
export function replacedCommandProblem(
  experiment: { status: ExperimentStatus; cycle: string },
  currentCycle: string,
): Refusal | undefined {
  if (experiment.status !== "RUNNING" || experiment.cycle !== currentCycle)
    return {
      problem: `This experiment ran in the cycle ${experiment.cycle}; only commands replaced during it count.`,
      code: "CONFLICT",
    };
  return undefined;
}

/** Only an experiment judged successful becomes a playbook. */
export function playbookProblem(experiment: { status: ExperimentStatus }): Refusal | undefined {
  if (experiment.status !== "SUCCEEDED")
    return {
      problem:
        "Only an experiment judged successful (at least one command replaced in its cycle) can become a playbook.",
    };
  return undefined;
}
