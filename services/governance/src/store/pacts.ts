import { randomUUID } from "node:crypto";
import { changedCount, sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirst, rowsByIds } from "./pages.js";
import { PACT_REMINDER_LEAD_MS } from "../domain/pacts.js";

/** A row of `pacts`. */
export interface PactRow {
  id: string;
  circleId: string;
  bodyId: string;
  proposalId: string;
  title: string;
  status: "ACTIVE" | "LAPSED";
  sunsetAt: Date;
  adoptedAt: Date;
  remindedAt: Date | null;
  lapsedAt: Date | null;
}

/** Whether a proposal already adopted or re-ratified a pact. */
export async function isProposalUsedByPact(db: Queryable, proposalId: string): Promise<boolean> {
  const rows = await sqlRows<{ one: number }>(
    db,
    `SELECT 1 AS one FROM pacts WHERE proposal_id = $1 UNION ALL SELECT 1 FROM pact_ratifications WHERE proposal_id = $1`,
    [proposalId],
  );
  return rows.length > 0;
}

/** Adopts a pact from a proposal, with its sunset. */
export async function insertPact(
  tx: Queryable,
  proposal: { id: string; circleId: string; bodyId: string; title: string },
  sunsetAt: Date,
  now: Date,
): Promise<PactRow> {
  const row = await sqlRow<PactRow>(
    tx,
    `INSERT INTO pacts (id, circle_id, body_id, proposal_id, title, status, sunset_at, adopted_at) VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7) RETURNING *`,
    [randomUUID(), proposal.circleId, proposal.bodyId, proposal.id, proposal.title, sunsetAt, now],
  );
  if (!row) throw new Error("invariant: an INSERT ... RETURNING answered no row");
  return row;
}

/** Locks a pact's row; undefined when absent. */
export async function lockPact(tx: Queryable, pactId: string): Promise<PactRow | undefined> {
  return sqlRow<PactRow>(tx, `SELECT * FROM pacts WHERE id = $1 FOR UPDATE`, [pactId]);
}

/** Records a re-ratification and moves the pact's sunset (its reminder to come again). */
export async function moveSunset(
  tx: Queryable,
  pact: { id: string; circleId: string; sunsetAt: Date },
  proposalId: string,
  sunsetAt: Date,
  now: Date,
): Promise<PactRow> {
  await tx.query(
    `INSERT INTO pact_ratifications (pact_id, circle_id, proposal_id, previous_sunset_at, sunset_at, ratified_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [pact.id, pact.circleId, proposalId, pact.sunsetAt, sunsetAt, now],
  );
  const row = await sqlRow<PactRow>(
    tx,
    `UPDATE pacts SET sunset_at = $2, reminded_at = NULL WHERE id = $1 RETURNING *`,
    [pact.id, sunsetAt],
  );
  if (!row) throw new Error("invariant: a locked pact was not updated");
  return row;
}

export const PACT_BATCH_SIZE = 1_000;

/**
 * Reminds bodies of sunsets within PACT_REMINDER_LEAD_MS (once per sunset) and lapses every active
 * pact whose sunset has come. A lapsed pact stays, marked LAPSED with the instant.
 */
export async function lapseDuePacts(db: Queryable, now: Date): Promise<{ pactsReminded: number; pactsLapsed: number }> {
  const pactsReminded = await changedCount(
    db,
    `UPDATE pacts SET reminded_at = $1 WHERE id IN (
       SELECT id FROM pacts WHERE status = 'ACTIVE' AND reminded_at IS NULL AND sunset_at <= $2 ORDER BY sunset_at LIMIT $3 FOR UPDATE SKIP LOCKED)`,
    [now, new Date(now.getTime() + PACT_REMINDER_LEAD_MS), PACT_BATCH_SIZE],
  );
  const pactsLapsed = await changedCount(
    db,
    `UPDATE pacts SET status = 'LAPSED', lapsed_at = sunset_at WHERE id IN (
       SELECT id FROM pacts WHERE status = 'ACTIVE' AND sunset_at <= $1 ORDER BY sunset_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [now, PACT_BATCH_SIZE],
  );
  return { pactsReminded, pactsLapsed };
}

export async function pactsByIds(db: Queryable, ids: readonly string[]): Promise<PactRow[]> {
  return rowsByIds<PactRow>(db, "pacts", ids);
}

export async function pactsOfCircle(
  db: Queryable,
  circleId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<PactRow[]> {
  return newestFirst<PactRow>(db, "pacts", "adopted_at", { circle_id: circleId }, after, limit);
}
