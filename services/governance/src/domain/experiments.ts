export type ExperimentStatus = "RUNNING" | "SUCCEEDED" | "INCONCLUSIVE";

/** An experiment is judged by one figure: commands replaced by consensual agreements during its cycle. */
export function judgeExperiment(commandsReplaced: number): ExperimentStatus {
  return commandsReplaced > 0 ? "SUCCEEDED" : "INCONCLUSIVE";
}
