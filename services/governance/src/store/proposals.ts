import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirst, rowsByIds } from "./pages.js";
import type { Outcome, ResponseKind } from "../domain/decision-rules.js";

export type ProposalKind = "ORDINARY" | "AMENDMENT";

/** What an amendment changes: a new article (no articleId) or a new version of one. */
export interface Amendment {
  articleId: string | null;
  title: string;
  text: string;
}

/** A row of `proposals`. */
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

/** A proposal to put: its row's fields but those the store or the closing sets, and who put it. */
export type NewProposal = Omit<ProposalRow, "id" | "status" | "outcome" | "createdAt" | "closedAt"> & {
  createdBy: string;
};

export async function insertProposal(tx: Queryable, proposal: NewProposal, now: Date): Promise<ProposalRow> {
  const row = await sqlRow<ProposalRow>(
    tx,
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
  if (!row) throw new Error("invariant: an INSERT ... RETURNING answered no row");
  return row;
}

export async function proposalsByIds(db: Queryable, ids: readonly string[]): Promise<ProposalRow[]> {
  return rowsByIds<ProposalRow>(db, "proposals", ids);
}

export async function proposalsOfBody(
  db: Queryable,
  bodyId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<ProposalRow[]> {
  return newestFirst<ProposalRow>(db, "proposals", "created_at", { body_id: bodyId }, after, limit);
}

/**
 * Locks a proposal in share mode while a response is recorded, so a response and the closing never
 * cross: a response either counts or is refused. Undefined when absent.
 */
export async function lockProposalForResponse(tx: Queryable, proposalId: string): Promise<ProposalRow | undefined> {
  return sqlRow<ProposalRow>(tx, `SELECT * FROM proposals WHERE id = $1 FOR SHARE`, [proposalId]);
}

/** Locks a proposal's row for an update that depends on it (a pact adopted from it); undefined when absent. */
export async function lockProposal(tx: Queryable, proposalId: string): Promise<ProposalRow | undefined> {
  return sqlRow<ProposalRow>(tx, `SELECT * FROM proposals WHERE id = $1 FOR UPDATE`, [proposalId]);
}

export interface NewResponse {
  proposal: { id: string; circleId: string };
  memberId: string;
  response: ResponseKind;
  reason: string | null;
}

/** Records (or changes) a seated member's response. */
export async function upsertResponse(tx: Queryable, response: NewResponse, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO responses (proposal_id, circle_id, member_id, response, reason, responded_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (proposal_id, member_id) DO UPDATE SET response = EXCLUDED.response, reason = EXCLUDED.reason, responded_at = EXCLUDED.responded_at`,
    [response.proposal.id, response.proposal.circleId, response.memberId, response.response, response.reason, now],
  );
}

/** A row of `responses`, without its circle and instant. */
export interface ResponseRow {
  proposalId: string;
  memberId: string;
  response: ResponseKind;
  reason: string | null;
}

/** The caller's own response to each proposal asked for. */
export async function responsesOf(
  db: Queryable,
  keys: ReadonlyArray<{ proposalId: string; memberId: string }>,
): Promise<Array<{ response: ResponseKind; reason: string | null } | undefined>> {
  const rows = await sqlRows<ResponseRow>(
    db,
    `SELECT r.proposal_id, r.member_id, r.response, r.reason FROM responses r
     JOIN unnest($1::uuid[], $2::uuid[]) AS k(proposal_id, member_id) ON r.proposal_id = k.proposal_id AND r.member_id = k.member_id`,
    [keys.map((k) => k.proposalId), keys.map((k) => k.memberId)],
  );
  const found = new Map(rows.map((r) => [`${r.proposalId}/${r.memberId}`, { response: r.response, reason: r.reason }]));
  return keys.map((k) => found.get(`${k.proposalId}/${k.memberId}`));
}

/** Every response to these proposals. */
export async function responsesToProposals(db: Queryable, proposalIds: readonly string[]): Promise<ResponseRow[]> {
  return sqlRows<ResponseRow>(
    db,
    `SELECT proposal_id, member_id, response, reason FROM responses WHERE proposal_id = ANY($1::uuid[])`,
    [proposalIds],
  );
}

/** Locks open proposals due by `now` (at most `limit`, skipping any another closer holds). */
export async function lockDueProposals(
  tx: Queryable,
  now: Date,
  circleId: string | undefined,
  limit: number,
): Promise<ProposalRow[]> {
  return sqlRows<ProposalRow>(
    tx,
    `SELECT * FROM proposals WHERE status = 'OPEN' AND closes_at <= $1 AND ($2::uuid IS NULL OR circle_id = $2)
     ORDER BY closes_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [now, circleId ?? null, limit],
  );
}

/** Marks proposals closed with their outcomes (each only while still open). */
export async function markClosed(
  tx: Queryable,
  outcomes: ReadonlyArray<{ proposalId: string; outcome: Outcome }>,
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE proposals p SET status = 'CLOSED', outcome = k.outcome, closed_at = $3 FROM unnest($1::uuid[], $2::text[]) AS k(id, outcome) WHERE p.id = k.id AND p.status = 'OPEN'`,
    [outcomes.map((o) => o.proposalId), outcomes.map((o) => o.outcome), now],
  );
}
