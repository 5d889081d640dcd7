import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirst, rowsByIds } from "./pages.js";
import { judgeExperiment, type ExperimentStatus } from "../domain/experiments.js";
import type { PowerNodeKind } from "../domain/power-map.js";

/** A row of `experiments`. */
export interface ExperimentRow {
  id: string;
  circleId: string;
  nodeId: string;
  hypothesis: string;
  cycle: string;
  status: ExperimentStatus;
  commandsReplaced: number;
  copiedFrom: string | null;
  startedAt: Date;
  judgedAt: Date | null;
}

export async function insertExperiment(
  tx: Queryable,
  experiment: { circleId: string; nodeId: string; hypothesis: string; cycle: string; copiedFrom: string | null },
  now: Date,
): Promise<ExperimentRow> {
  const row = await sqlRow<ExperimentRow>(
    tx,
    `INSERT INTO experiments (id, circle_id, node_id, hypothesis, cycle, status, copied_from, started_at) VALUES ($1, $2, $3, $4, $5, 'RUNNING', $6, $7) RETURNING *`,
    [
      randomUUID(),
      experiment.circleId,
      experiment.nodeId,
      experiment.hypothesis,
      experiment.cycle,
      experiment.copiedFrom,
      now,
    ],
  );
  if (!row) throw new Error("invariant: an INSERT ... RETURNING answered no row");
  return row;
}

export async function experimentsByIds(db: Queryable, ids: readonly string[]): Promise<ExperimentRow[]> {
  return rowsByIds<ExperimentRow>(db, "experiments", ids);
}

export async function experimentsOfCircle(
  db: Queryable,
  circleId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<ExperimentRow[]> {
  return newestFirst<ExperimentRow>(db, "experiments", "started_at", { circle_id: circleId }, after, limit);
}

/** Locks an experiment's row, with the kind of its node (what a playbook records); undefined when absent. */
export async function lockExperiment(
  tx: Queryable,
  experimentId: string,
): Promise<(ExperimentRow & { nodeKind: PowerNodeKind }) | undefined> {
  return sqlRow<ExperimentRow & { nodeKind: PowerNodeKind }>(
    tx,
    `SELECT e.*, n.kind AS node_kind FROM experiments e JOIN power_nodes n ON n.id = e.node_id WHERE e.id = $1 FOR UPDATE OF e`,
    [experimentId],
  );
}

/** Records one command replaced during the experiment (counted on the experiment); answers the record's id and the experiment. */
export async function insertReplacedCommand(
  tx: Queryable,
  experiment: { id: string; circleId: string },
  description: string,
  now: Date,
): Promise<{ recordId: string; experiment: ExperimentRow }> {
  const recordId = randomUUID();
  await tx.query(
    `INSERT INTO replaced_commands (id, experiment_id, circle_id, description, recorded_at) VALUES ($1, $2, $3, $4, $5)`,
    [recordId, experiment.id, experiment.circleId, description, now],
  );
  const updated = await sqlRow<ExperimentRow>(
    tx,
    `UPDATE experiments SET commands_replaced = commands_replaced + 1 WHERE id = $1 RETURNING *`,
    [experiment.id],
  );
  if (!updated) throw new Error("invariant: a locked experiment was not updated");
  return { recordId, experiment: updated };
}

/** Judges the circle's experiments of an ended cycle by their one figure; a second run changes nothing. */
export async function judgeExperimentsOf(db: Queryable, circleId: string, cycle: string, now: Date): Promise<number> {
  const running = await sqlRows<{ id: string; commandsReplaced: number }>(
    db,
    `SELECT id, commands_replaced FROM experiments WHERE circle_id = $1 AND cycle = $2 AND status = 'RUNNING'`,
    [circleId, cycle],
  );
  for (const experiment of running) {
    await db.query(`UPDATE experiments SET status = $2, judged_at = $3 WHERE id = $1 AND status = 'RUNNING'`, [
      experiment.id,
      judgeExperiment(experiment.commandsReplaced),
      now,
    ]);
  }
  return running.length;
}

/** A row of `playbooks`. */
export interface PlaybookRow {
  id: string;
  circleId: string;
  experimentId: string;
  title: string;
  nodeKind: PowerNodeKind;
  hypothesis: string;
  steps: string;
  commandsReplaced: number;
  publishedAt: Date;
}

/** The experiment's playbook, or undefined when it is a playbook already. */
export async function insertPlaybook(
  tx: Queryable,
  experiment: ExperimentRow & { nodeKind: PowerNodeKind },
  playbook: { title: string; steps: string },
  now: Date,
): Promise<PlaybookRow | undefined> {
  return sqlRow<PlaybookRow>(
    tx,
    `INSERT INTO playbooks (id, circle_id, experiment_id, title, node_kind, hypothesis, steps, commands_replaced, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (experiment_id) DO NOTHING RETURNING *`,
    [
      randomUUID(),
      experiment.circleId,
      experiment.id,
      playbook.title,
      experiment.nodeKind,
      experiment.hypothesis,
      playbook.steps,
      experiment.commandsReplaced,
      now,
    ],
  );
}

export async function playbooksByIds(db: Queryable, ids: readonly string[]): Promise<PlaybookRow[]> {
  return rowsByIds<PlaybookRow>(db, "playbooks", ids);
}

export async function playbooksPage(
  db: Queryable,
  after: InstantCursor | undefined,
  limit: number,
): Promise<PlaybookRow[]> {
  return newestFirst<PlaybookRow>(db, "playbooks", "published_at", {}, after, limit);
}
