import { sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import type { ExchangeStatus, Proposal } from "../domain/exchanges.js";

/** Time given by one member to another; credits move only when the other party confirms. */
export interface ExchangeRow {
  id: string;
  circleId: string;
  providerMemberId: string;
  receiverMemberId: string;
  proposerMemberId: string;
  minutes: number;
  skill: string;
  note: string;
  status: ExchangeStatus;
  idempotencyKey: string | null;
  proposedAt: Date;
  proposedCycle: string;
  decidedAt: Date | null;
}

export const EXCHANGE_COLUMNS = `id, circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, idempotency_key, proposed_at, proposed_cycle, decided_at`;

/** The statements of an exchange's own row, shared with the confirmation's SQL. */
export const exchangeSql = {
  lockExchange: `SELECT ${EXCHANGE_COLUMNS} FROM exchanges WHERE id = $1 FOR UPDATE`,
  markDecided: `UPDATE exchanges SET status = $2, decided_at = $3 WHERE id = $1 RETURNING ${EXCHANGE_COLUMNS}`,
} as const;

/** The exchange, locked for the rest of the transaction, or undefined. */
export function lockExchange(tx: Queryable, exchangeId: string): Promise<ExchangeRow | undefined> {
  return sqlRow<ExchangeRow>(tx, exchangeSql.lockExchange, [exchangeId]);
}

/** Marks an exchange decided and returns it as it now is. */
export async function markDecided(
  tx: Queryable,
  exchangeId: string,
  status: ExchangeStatus,
  at: Date,
): Promise<ExchangeRow> {
  const decided = await sqlRow<ExchangeRow>(tx, exchangeSql.markDecided, [exchangeId, status, at]);
  if (!decided) throw new Error(`Exchange ${exchangeId} vanished while it was locked.`);
  return decided;
}

/** The two parties' accounts, held FOR SHARE in id order (as confirmations lock them) so neither can leave meanwhile. */
export function shareProposalParties(
  tx: Queryable,
  circleId: string,
  memberIds: readonly string[],
): Promise<Array<{ memberId: string; closedAt: Date | null }>> {
  return sqlRows(
    tx,
    `SELECT member_id, closed_at FROM accounts WHERE circle_id = $1 AND member_id = ANY($2::uuid[]) ORDER BY id FOR SHARE`,
    [circleId, memberIds],
  );
}

/**
 * Records a proposal and returns it, or undefined when the proposer already used its idempotency
 * key (then `proposalWithKey` finds the first attempt's exchange).
 */
export function insertProposal(
  tx: Queryable,
  circleId: string,
  proposal: Proposal,
  now: Date,
  cycle: string,
): Promise<ExchangeRow | undefined> {
  return sqlRow<ExchangeRow>(
    tx,
    `INSERT INTO exchanges (circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, idempotency_key, proposed_at, proposed_cycle)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (circle_id, proposer_member_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING ${EXCHANGE_COLUMNS}`,
    [
      circleId,
      proposal.providerMemberId,
      proposal.receiverMemberId,
      proposal.proposerMemberId,
      proposal.minutes,
      proposal.skill,
      proposal.note,
      proposal.idempotencyKey,
      now,
      cycle,
    ],
  );
}

/** The exchange a proposer made earlier with this idempotency key. */
export function proposalWithKey(
  tx: Queryable,
  circleId: string,
  proposerMemberId: string,
  idempotencyKey: string,
): Promise<ExchangeRow | undefined> {
  return sqlRow<ExchangeRow>(
    tx,
    `SELECT ${EXCHANGE_COLUMNS} FROM exchanges WHERE circle_id = $1 AND proposer_member_id = $2 AND idempotency_key = $3`,
    [circleId, proposerMemberId, idempotencyKey],
  );
}

/** The exchange with this id, or undefined (the id must be a UUID). */
export function findExchange(db: Queryable, exchangeId: string): Promise<ExchangeRow | undefined> {
  return sqlRow<ExchangeRow>(db, `SELECT ${EXCHANGE_COLUMNS} FROM exchanges WHERE id = $1`, [exchangeId]);
}

export interface MemberExchangesQuery {
  circleId: string;
  memberId: string;
  status?: ExchangeStatus | null;
  /** A cycle label: only exchanges proposed in it. */
  cycle?: string | null;
  after?: InstantCursor;
  /** Rows to return: a page size plus one, to tell whether a next page exists. */
  limit: number;
}

/** The exchanges a member gave or received time in, newest first. */
export function memberExchanges(db: Queryable, query: MemberExchangesQuery): Promise<ExchangeRow[]> {
  return sqlRows<ExchangeRow>(
    db,
    `SELECT ${EXCHANGE_COLUMNS} FROM exchanges
     WHERE circle_id = $1 AND (provider_member_id = $2 OR receiver_member_id = $2)
       AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR proposed_cycle = $4)
       AND ($5::timestamptz IS NULL OR (proposed_at, id) < ($5, $6::uuid))
     ORDER BY proposed_at DESC, id DESC LIMIT $7`,
    [
      query.circleId,
      query.memberId,
      query.status ?? null,
      query.cycle ?? null,
      query.after?.at ?? null,
      query.after?.id ?? null,
      query.limit,
    ],
  );
}

/** How many pending exchanges in a circle wait for this member to confirm or decline: those they take part in but did not propose. */
export async function awaitingCountOf(db: Queryable, circleId: string, memberId: string): Promise<number> {
  const row = await sqlRow<{ awaiting: number }>(
    db,
    `SELECT count(*)::int AS awaiting FROM exchanges
     WHERE circle_id = $1 AND status = 'PENDING' AND proposer_member_id <> $2
       AND (provider_member_id = $2 OR receiver_member_id = $2)`,
    [circleId, memberId],
  );
  return row!.awaiting;
}
