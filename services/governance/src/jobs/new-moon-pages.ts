import type { DataSource } from "typeorm";
import { randomUUID } from "node:crypto";
import { sqlRows, type Queryable } from "@rhizome/kit";
import { judgeExperiment } from "../domain/experiments.js";
import { rotateRole } from "./role-rotation.js";

/**
 * The governance new moon for a page of circles (the kit's `runPage`): one statement reads what the
 * page needs, set-based statements write it, one transaction per page, and each circle ends as its
 * own run would leave it. `beforeCommit` runs inside the transaction just before it commits:
 * throwing there rolls the page back whole, as a crash would.
 */
export interface PageHooks {
  beforeCommit?: (tx: Queryable, circleIds: readonly string[]) => void | Promise<void>;
}

/**
 * Rotates every active role of a page of circles in one transaction, each role as its own run
 * rotates it (the same witnessed draw, pool and order, `rotateRole`). A circle without an active
 * role costs nothing beyond the page's one read.
 */
export async function rotateRolesOfPage(
  db: DataSource,
  sealKey: Buffer,
  circleIds: readonly string[],
  cycle: string,
  now: Date,
  hooks: PageHooks = {},
): Promise<Map<string, { rolesRotated: number }>> {
  return db.transaction(async (tx) => {
    const roles = await sqlRows<{ id: string; circleId: string }>(
      tx,
      `SELECT id, circle_id FROM roles WHERE circle_id = ANY($1::uuid[]) AND status = 'ACTIVE' ORDER BY circle_id, id`,
      [circleIds],
    );
    const outcomes = new Map(circleIds.map((circleId) => [circleId, { rolesRotated: 0 }]));
    for (const role of roles)
      outcomes.get(role.circleId)!.rolesRotated += await rotateRole(tx, sealKey, role.circleId, role.id, cycle, now);
    await hooks.beforeCommit?.(tx, circleIds);
    return outcomes;
  });
}

/**
 * Bloc changes for a page of circles: one statement finds the circles with a change in force; the
 * others are done (their own run would find nothing and change nothing). A circle with changes is
 * left to its own run, which applies them in batches as before.
 */
export async function blocChangesOfPage(
  db: Queryable,
  circleIds: readonly string[],
  now: Date,
): Promise<Map<string, { membersChanged: number }>> {
  const withChanges = new Set(
    (
      await sqlRows<{ circleId: string }>(
        db,
        `SELECT DISTINCT circle_id FROM bloc_changes WHERE circle_id = ANY($1::uuid[]) AND effective_at <= $2`,
        [circleIds, now],
      )
    ).map((r) => r.circleId),
  );
  return new Map(
    circleIds.filter((circleId) => !withChanges.has(circleId)).map((circleId) => [circleId, { membersChanged: 0 }]),
  );
}

/**
 * The cycle review of a page of circles in one transaction: every running experiment of the ended
 * cycle judged by its one figure (one read, one update), and every next cycle's commons assembly
 * opened (one insert), as each circle's own run does.
 */
export async function reviewCyclesOfPage(
  db: DataSource,
  circleIds: readonly string[],
  cycle: string,
  nextCycle: string,
  now: Date,
  hooks: PageHooks = {},
): Promise<Map<string, { experimentsJudged: number; commonsAssemblyOpened: boolean }>> {
  return db.transaction(async (tx) => {
    const running = await sqlRows<{ id: string; circleId: string; commandsReplaced: number }>(
      tx,
      `SELECT id, circle_id, commands_replaced FROM experiments WHERE circle_id = ANY($1::uuid[]) AND cycle = $2 AND status = 'RUNNING'`,
      [circleIds, cycle],
    );
    if (running.length > 0)
      await tx.query(
        `UPDATE experiments e SET status = j.status, judged_at = $3 FROM unnest($1::uuid[], $2::text[]) AS j(id, status)
         WHERE e.id = j.id AND e.status = 'RUNNING'`,
        [running.map((e) => e.id), running.map((e) => judgeExperiment(e.commandsReplaced)), now],
      );
    const opened = new Set(
      (
        await sqlRows<{ circleId: string }>(
          tx,
          `INSERT INTO assemblies (id, circle_id, kind, title, cycle, created_at)
           SELECT a.id, a.circle_id, 'COMMONS', $3, $4, $5 FROM unnest($1::uuid[], $2::uuid[]) AS a(id, circle_id)
           ON CONFLICT (circle_id, cycle) WHERE kind = 'COMMONS' DO NOTHING RETURNING circle_id`,
          [circleIds.map(() => randomUUID()), circleIds, `Commons assembly of the cycle ${nextCycle}`, nextCycle, now],
        )
      ).map((r) => r.circleId),
    );
    const judged = new Map<string, number>();
    for (const e of running) judged.set(e.circleId, (judged.get(e.circleId) ?? 0) + 1);
    await hooks.beforeCommit?.(tx, circleIds);
    return new Map(
      circleIds.map((circleId) => [
        circleId,
        { experimentsJudged: judged.get(circleId) ?? 0, commonsAssemblyOpened: opened.has(circleId) },
      ]),
    );
  });
}
