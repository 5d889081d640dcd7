import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { badInput, conflict, emitEvent, notFound } from "@rhizome/kit";
import { judgeExperiment, type ExperimentStatus } from "../domain/experiments.js";
import type { PowerNodeKind } from "../domain/power-map.js";
import { changedRows, type Queryable } from "./queryable.js";

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

function experimentFromSql(raw: Record<string, unknown>): ExperimentRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    nodeId: raw.node_id as string,
    hypothesis: raw.hypothesis as string,
    cycle: raw.cycle as string,
    status: raw.status as ExperimentStatus,
    commandsReplaced: raw.commands_replaced as number,
    copiedFrom: (raw.copied_from as string | null) ?? null,
    startedAt: raw.started_at as Date,
    judgedAt: (raw.judged_at as Date | null) ?? null,
  };
}

export async function startExperiment(
  db: Queryable,
  experiment: { circleId: string; nodeId: string; hypothesis: string; cycle: string; copiedFrom: string | null },
  now: Date,
): Promise<ExperimentRow> {
  const rows: Array<Record<string, unknown>> = await db.query(
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
  return experimentFromSql(rows[0]);
}

export async function experimentsByIds(db: Queryable, ids: readonly string[]): Promise<ExperimentRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM experiments WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
  return raws.map(experimentFromSql);
}

export async function experimentsOfCircle(
  db: Queryable,
  circleId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<ExperimentRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM experiments WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (started_at, id) < ($2, $3::uuid)) ORDER BY started_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(experimentFromSql);
}

/**
 * Records one command replaced by a consensual agreement during the experiment's cycle, and tells the
 * hub (command.replaced, in the same transaction) so the sovereignty ledger counts it.
 */
export async function recordReplacedCommand(
  db: DataSource,
  experimentId: string,
  description: string,
  currentCycle: string,
  now: Date,
): Promise<ExperimentRow> {
  return db.transaction(async (manager) => {
    const raws: Array<Record<string, unknown>> = await manager.query(
      `SELECT * FROM experiments WHERE id = $1 FOR UPDATE`,
      [experimentId],
    );
    if (!raws[0]) throw notFound("No experiment with that id in your circles.");
    const experiment = experimentFromSql(raws[0]);
    if (experiment.status !== "RUNNING" || experiment.cycle !== currentCycle)
      throw conflict(`This experiment ran in the cycle ${experiment.cycle}; only commands replaced during it count.`);
    const recordId = randomUUID();
    await manager.query(
      `INSERT INTO replaced_commands (id, experiment_id, circle_id, description, recorded_at) VALUES ($1, $2, $3, $4, $5)`,
      [recordId, experimentId, experiment.circleId, description, now],
    );
    const updated: Array<Record<string, unknown>> = changedRows(
      await manager.query(
        `UPDATE experiments SET commands_replaced = commands_replaced + 1 WHERE id = $1 RETURNING *`,
        [experimentId],
      ),
    );
    await emitEvent(
      manager,
      "command.replaced",
      { circleId: experiment.circleId, recordId, cycle: experiment.cycle, count: 1 },
      now,
    );
    return experimentFromSql(updated[0]);
  });
}

/** Judges the circle's experiments of an ended cycle by their one figure; a second run changes nothing. */
export async function judgeExperimentsOf(db: Queryable, circleId: string, cycle: string, now: Date): Promise<number> {
  const running: Array<{ id: string; commands_replaced: number }> = await db.query(
    `SELECT id, commands_replaced FROM experiments WHERE circle_id = $1 AND cycle = $2 AND status = 'RUNNING'`,
    [circleId, cycle],
  );
  for (const experiment of running) {
    await db.query(`UPDATE experiments SET status = $2, judged_at = $3 WHERE id = $1 AND status = 'RUNNING'`, [
      experiment.id,
      judgeExperiment(experiment.commands_replaced),
      now,
    ]);
  }
  return running.length;
}

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

function playbookFromSql(raw: Record<string, unknown>): PlaybookRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    experimentId: raw.experiment_id as string,
    title: raw.title as string,
    nodeKind: raw.node_kind as PowerNodeKind,
    hypothesis: raw.hypothesis as string,
    steps: raw.steps as string,
    commandsReplaced: raw.commands_replaced as number,
    publishedAt: raw.published_at as Date,
  };
}

export async function publishPlaybook(
  db: DataSource,
  experimentId: string,
  title: string,
  steps: string,
  now: Date,
): Promise<PlaybookRow> {
  return db.transaction(async (manager) => {
    const raws: Array<Record<string, unknown>> = await manager.query(
      `SELECT e.*, n.kind AS node_kind FROM experiments e JOIN power_nodes n ON n.id = e.node_id WHERE e.id = $1 FOR UPDATE OF e`,
      [experimentId],
    );
    if (!raws[0]) throw notFound("No experiment with that id in your circles.");
    const experiment = experimentFromSql(raws[0]);
    if (experiment.status !== "SUCCEEDED")
      throw badInput(
        "Only an experiment judged successful (at least one command replaced in its cycle) can become a playbook.",
      );
    const rows: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO playbooks (id, circle_id, experiment_id, title, node_kind, hypothesis, steps, commands_replaced, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (experiment_id) DO NOTHING RETURNING *`,
      [
        randomUUID(),
        experiment.circleId,
        experiment.id,
        title,
        raws[0].node_kind,
        experiment.hypothesis,
        steps,
        experiment.commandsReplaced,
        now,
      ],
    );
    if (!rows[0]) throw conflict("This experiment is already a playbook.");
    return playbookFromSql(rows[0]);
  });
}

export async function playbooksByIds(db: Queryable, ids: readonly string[]): Promise<PlaybookRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM playbooks WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
  return raws.map(playbookFromSql);
}

export async function playbooksPage(
  db: Queryable,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<PlaybookRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM playbooks WHERE ($1::timestamptz IS NULL OR (published_at, id) < ($1, $2::uuid)) ORDER BY published_at DESC, id DESC LIMIT $3`,
    [after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(playbookFromSql);
}
