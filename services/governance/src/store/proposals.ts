import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { badInput, conflict, notFound } from "@rhizome/kit";
import type { Outcome, ResponseKind } from "../domain/decision-rules.js";
import type { Queryable } from "./queryable.js";

export type ProposalKind = "ORDINARY" | "AMENDMENT";

/** What an amendment changes: a new article (no articleId) or a new version of one. */
export interface Amendment {
  articleId: string | null;
  title: string;
  text: string;
}

export interface ProposalRow {
  id: string;
  circleId: string;
  bodyId: string;
  title: string;
  text: string;
  kind: ProposalKind;
  amendment: Amendment | null;
  status: "OPEN" | "CLOSED";
  outcome: Outcome | null;
  closesAt: Date;
  createdAt: Date;
  closedAt: Date | null;
}

export function proposalFromSql(raw: Record<string, unknown>): ProposalRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    bodyId: raw.body_id as string,
    title: raw.title as string,
    text: raw.text as string,
    kind: raw.kind as ProposalKind,
    amendment: (raw.amendment as Amendment | null) ?? null,
    status: raw.status as "OPEN" | "CLOSED",
    outcome: (raw.outcome as Outcome | null) ?? null,
    closesAt: raw.closes_at as Date,
    createdAt: raw.created_at as Date,
    closedAt: (raw.closed_at as Date | null) ?? null,
  };
}

export interface NewProposal {
  circleId: string;
  bodyId: string;
  title: string;
  text: string;
  kind: ProposalKind;
  amendment: Amendment | null;
  closesAt: Date;
  createdBy: string;
}

export async function insertProposal(db: Queryable, proposal: NewProposal, now: Date): Promise<ProposalRow> {
  const rows: Array<Record<string, unknown>> = await db.query(
    `INSERT INTO proposals (id, circle_id, body_id, title, text, kind, amendment, status, closes_at, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'OPEN', $8, $9, $10) RETURNING *`,
    [
      randomUUID(),
      proposal.circleId,
      proposal.bodyId,
      proposal.title,
      proposal.text,
      proposal.kind,
      proposal.amendment ? JSON.stringify(proposal.amendment) : null,
      proposal.closesAt,
      proposal.createdBy,
      now,
    ],
  );
  return proposalFromSql(rows[0]);
}

export async function proposalsByIds(db: Queryable, ids: readonly string[]): Promise<ProposalRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM proposals WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
  return raws.map(proposalFromSql);
}

export async function proposalsOfBody(
  db: Queryable,
  bodyId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<ProposalRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM proposals WHERE body_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [bodyId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(proposalFromSql);
}

export interface NewResponse {
  proposalId: string;
  memberId: string;
  response: ResponseKind;
  reason: string | null;
}

/**
 * Records (or changes) a seated member's response while the vote is open. The proposal row is locked
 * in share mode, so a response and the closing never cross: a response either counts or is refused.
 */
export async function recordResponse(db: DataSource, response: NewResponse, now: Date): Promise<ProposalRow> {
  return db.transaction(async (manager) => {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT * FROM proposals WHERE id = $1 FOR SHARE`,
      [response.proposalId],
    );
    if (!rows[0]) throw notFound("No proposal with that id in your circles.");
    const proposal = proposalFromSql(rows[0]);
    if (proposal.status !== "OPEN" || proposal.closesAt.getTime() <= now.getTime())
      throw conflict(`Voting on this proposal closed at ${proposal.closesAt.toISOString()}.`);
    // Whatever the seat's kind: every seated member's response counts the same way.
    const seats: unknown[] = await manager.query(`SELECT 1 FROM seats WHERE body_id = $1 AND member_id = $2`, [
      proposal.bodyId,
      response.memberId,
    ]);
    if (!seats[0]) throw badInput("Only members seated in the body can respond to its proposals.");
    await manager.query(
      `INSERT INTO responses (proposal_id, circle_id, member_id, response, reason, responded_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (proposal_id, member_id) DO UPDATE SET response = EXCLUDED.response, reason = EXCLUDED.reason, responded_at = EXCLUDED.responded_at`,
      [proposal.id, proposal.circleId, response.memberId, response.response, response.reason, now],
    );
    return proposal;
  });
}

/** The caller's own response to each proposal asked for. */
export async function responsesOf(
  db: Queryable,
  keys: ReadonlyArray<{ proposalId: string; memberId: string }>,
): Promise<Array<{ response: ResponseKind; reason: string | null } | undefined>> {
  const rows: Array<{ proposal_id: string; member_id: string; response: ResponseKind; reason: string | null }> =
    await db.query(
      `SELECT r.proposal_id, r.member_id, r.response, r.reason FROM responses r
     JOIN unnest($1::uuid[], $2::uuid[]) AS k(proposal_id, member_id) ON r.proposal_id = k.proposal_id AND r.member_id = k.member_id`,
      [keys.map((k) => k.proposalId), keys.map((k) => k.memberId)],
    );
  const found = new Map(
    rows.map((r) => [`${r.proposal_id}/${r.member_id}`, { response: r.response, reason: r.reason }]),
  );
  return keys.map((k) => found.get(`${k.proposalId}/${k.memberId}`));
}
