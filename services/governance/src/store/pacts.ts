import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { badInput, conflict, notFound } from "@rhizome/kit";
import { PACT_REMINDER_LEAD_MS } from "../domain/pacts.js";
import { changedRows, type Queryable } from "./queryable.js";

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

export function pactFromSql(raw: Record<string, unknown>): PactRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    bodyId: raw.body_id as string,
    proposalId: raw.proposal_id as string,
    title: raw.title as string,
    status: raw.status as PactRow["status"],
    sunsetAt: raw.sunset_at as Date,
    adoptedAt: raw.adopted_at as Date,
    remindedAt: (raw.reminded_at as Date | null) ?? null,
    lapsedAt: (raw.lapsed_at as Date | null) ?? null,
  };
}

async function lockPassedProposal(
  manager: Queryable,
  proposalId: string,
): Promise<{ id: string; circle_id: string; body_id: string; title: string }> {
  const rows: Array<{ id: string; circle_id: string; body_id: string; title: string; outcome: string | null }> =
    await manager.query(`SELECT id, circle_id, body_id, title, outcome FROM proposals WHERE id = $1 FOR UPDATE`, [
      proposalId,
    ]);
  if (!rows[0]) throw notFound("No proposal with that id in your circles.");
  if (rows[0].outcome !== "PASSED")
    throw badInput("Only a proposal that passed can adopt or re-ratify a pact; this one has not passed.");
  return rows[0];
}

/** Adopts a pact from a passed proposal, with its sunset. One pact per proposal. */
export async function adoptPact(db: DataSource, proposalId: string, sunsetAt: Date, now: Date): Promise<PactRow> {
  return db.transaction(async (manager) => {
    const proposal = await lockPassedProposal(manager, proposalId);
    const used: unknown[] = await manager.query(
      `SELECT 1 FROM pacts WHERE proposal_id = $1 UNION ALL SELECT 1 FROM pact_ratifications WHERE proposal_id = $1`,
      [proposalId],
    );
    if (used.length > 0) throw conflict("This proposal already adopted or re-ratified a pact.");
    const rows: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO pacts (id, circle_id, body_id, proposal_id, title, status, sunset_at, adopted_at) VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7) RETURNING *`,
      [randomUUID(), proposal.circle_id, proposal.body_id, proposal.id, proposal.title, sunsetAt, now],
    );
    return pactFromSql(rows[0]);
  });
}

/** Moves an active pact's sunset, on a new passed proposal of the same body, before it lapses. */
export async function reratifyPact(
  db: DataSource,
  pactId: string,
  proposalId: string,
  sunsetAt: Date,
  now: Date,
): Promise<PactRow> {
  return db.transaction(async (manager) => {
    const raws: Array<Record<string, unknown>> = await manager.query(`SELECT * FROM pacts WHERE id = $1 FOR UPDATE`, [
      pactId,
    ]);
    if (!raws[0]) throw notFound("No pact with that id in your circles.");
    const pact = pactFromSql(raws[0]);
    if (pact.status === "LAPSED" || pact.sunsetAt.getTime() <= now.getTime())
      throw conflict(
        `This pact lapsed at its sunset (${pact.sunsetAt.toISOString()}); adopt it again from a new proposal.`,
      );
    const proposal = await lockPassedProposal(manager, proposalId);
    if (proposal.circle_id !== pact.circleId || proposal.body_id !== pact.bodyId)
      throw badInput("A pact is re-ratified by a decision of the body that adopted it.");
    const used: unknown[] = await manager.query(
      `SELECT 1 FROM pacts WHERE proposal_id = $1 UNION ALL SELECT 1 FROM pact_ratifications WHERE proposal_id = $1`,
      [proposalId],
    );
    if (used.length > 0) throw conflict("This proposal already adopted or re-ratified a pact.");
    if (sunsetAt.getTime() <= pact.sunsetAt.getTime())
      throw badInput(`A re-ratification moves the sunset later than ${pact.sunsetAt.toISOString()}.`);
    await manager.query(
      `INSERT INTO pact_ratifications (pact_id, circle_id, proposal_id, previous_sunset_at, sunset_at, ratified_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [pact.id, pact.circleId, proposalId, pact.sunsetAt, sunsetAt, now],
    );
    const updated: Array<Record<string, unknown>> = changedRows(
      await manager.query(`UPDATE pacts SET sunset_at = $2, reminded_at = NULL WHERE id = $1 RETURNING *`, [
        pact.id,
        sunsetAt,
      ]),
    );
    return pactFromSql(updated[0]);
  });
}

export const PACT_BATCH_SIZE = 1_000;

/**
 * Reminds bodies of sunsets within PACT_REMINDER_LEAD_MS (once per sunset) and lapses every active
 * pact whose sunset has come. A lapsed pact stays, marked LAPSED with the instant.
 */
export async function lapseDuePacts(
  db: DataSource,
  now: Date,
): Promise<{ pactsReminded: number; pactsLapsed: number }> {
  const reminded = changedRows(
    await db.query(
      `UPDATE pacts SET reminded_at = $1 WHERE id IN (
         SELECT id FROM pacts WHERE status = 'ACTIVE' AND reminded_at IS NULL AND sunset_at <= $2 ORDER BY sunset_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [now, new Date(now.getTime() + PACT_REMINDER_LEAD_MS), PACT_BATCH_SIZE],
    ),
  );
  const lapsed = changedRows(
    await db.query(
      `UPDATE pacts SET status = 'LAPSED', lapsed_at = sunset_at WHERE id IN (
         SELECT id FROM pacts WHERE status = 'ACTIVE' AND sunset_at <= $1 ORDER BY sunset_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [now, PACT_BATCH_SIZE],
    ),
  );
  return { pactsReminded: reminded.length, pactsLapsed: lapsed.length };
}

export async function pactsByIds(db: Queryable, ids: readonly string[]): Promise<PactRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM pacts WHERE id = ANY($1::uuid[])`, [ids]);
  return raws.map(pactFromSql);
}

export async function pactsOfCircle(
  db: Queryable,
  circleId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<PactRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM pacts WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (adopted_at, id) < ($2, $3::uuid)) ORDER BY adopted_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(pactFromSql);
}
