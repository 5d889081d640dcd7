import { randomUUID } from "node:crypto";
import { cycleContaining, emitEvent, newestFirstRows, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import {
  assertAccountsHold,
  assertBalanced,
  contributionEntries,
  disbursementEntries,
  type FundAccountKind,
  type FundEntry,
  type CycleFlow,
  type OutflowRow,
  type Purpose,
} from "../domain/fund.js";
import { rememberMember } from "./members.js";
import { returnedRow } from "./returned.js";
import type { Vault } from "./vault.js";

/** A circle's three accounts in one currency, locked, with their cached balances. */
export type FundAccounts = Record<FundAccountKind, { id: string; balance: number }>;

/** Opens the circle's three accounts in a currency if needed and locks them, in id order, for the transaction. */
export async function lockAccounts(tx: Queryable, circleId: string, currency: string): Promise<FundAccounts> {
  await tx.query(
    `INSERT INTO fund_accounts (id, circle_id, currency, kind) SELECT gen_random_uuid(), $1, $2, k FROM unnest(ARRAY['HELD', 'CONTRIBUTED', 'DISBURSED']) AS k ON CONFLICT DO NOTHING`,
    [circleId, currency],
  );
  // Balances are bigint (strings to the driver); amounts stay far below 2^53, so float8 reads them exactly.
  const rows = await sqlRows<{ id: string; kind: FundAccountKind; balance: number }>(
    tx,
    `SELECT id, kind, balance_minor::float8 AS balance FROM fund_accounts WHERE circle_id = $1 AND currency = $2 ORDER BY id FOR UPDATE`,
    [circleId, currency],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, { id: r.id, balance: r.balance }])) as FundAccounts;
}

interface PlannedTransfer {
  circleId: string;
  kind: "CONTRIBUTION" | "DISBURSEMENT";
  currency: string;
  amountMinor: number;
  purpose?: Purpose;
  requestId?: string;
  pledgeId?: string | null;
  idempotencyKey?: string | null;
  recordedByMemberId: string;
  entries: FundEntry[];
}

/** Writes a transfer and its entries, moves the cached balances, and re-checks every touched account inside the transaction. */
async function postTransfer(
  tx: Queryable,
  transfer: PlannedTransfer,
  now: Date,
): Promise<{ id: string; cycle: string } | undefined> {
  assertBalanced(transfer.entries);
  const cycle = cycleContaining(now).label;
  const id = randomUUID();
  const written = await sqlRows(
    tx,
    `INSERT INTO fund_transfers (id, circle_id, kind, currency, amount_minor, cycle, purpose, request_id, pledge_id, idempotency_key, recorded_by_member_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id`,
    [
      id,
      transfer.circleId,
      transfer.kind,
      transfer.currency,
      transfer.amountMinor,
      cycle,
      transfer.purpose ?? null,
      transfer.requestId ?? null,
      transfer.pledgeId ?? null,
      transfer.idempotencyKey ?? null,
      transfer.recordedByMemberId,
      now,
    ],
  );
  if (written.length === 0) return undefined;
  const accountIds = transfer.entries.map((e) => e.accountId);
  const amounts = transfer.entries.map((e) => e.amountMinor);
  await tx.query(
    `INSERT INTO fund_entries (transfer_id, account_id, amount_minor) SELECT $1, a, m FROM unnest($2::uuid[], $3::bigint[]) AS t(a, m)`,
    [id, accountIds, amounts],
  );
  await tx.query(
    `UPDATE fund_accounts AS a SET balance_minor = a.balance_minor + d.delta FROM unnest($1::uuid[], $2::bigint[]) AS d(id, delta) WHERE a.id = d.id`,
    [accountIds, amounts],
  );
  assertAccountsHold(
    await sqlRows<{ accountId: string; kind: FundAccountKind; balanceMinor: number; entriesSumMinor: number }>(
      tx,
      `SELECT a.id AS account_id, a.kind, a.balance_minor::float8 AS balance_minor,
         COALESCE((SELECT sum(e.amount_minor) FROM fund_entries e WHERE e.account_id = a.id), 0)::float8 AS entries_sum_minor
       FROM fund_accounts a WHERE a.id = ANY($1::uuid[])`,
      [accountIds],
    ),
  );
  return { id, cycle };
}

export async function pledge(
  tx: Queryable,
  input: { circleId: string; memberId: string; amountMinor: number; currency: string },
  now: Date,
): Promise<{ id: string; pledgedAt: Date }> {
  await rememberMember(tx, input.circleId, input.memberId, now);
  const row = await sqlRow<{ id: string; pledgedAt: Date }>(
    tx,
    `INSERT INTO fund_pledges (id, circle_id, member_id, amount_minor, currency, pledged_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, pledged_at`,
    [randomUUID(), input.circleId, input.memberId, input.amountMinor, input.currency, now],
  );
  return returnedRow(row, "INSERT INTO fund_pledges");
}

/** The currency of a pledge of the circle, or undefined when it has none with that id (or it was withdrawn). */
export async function pledgeCurrency(db: Queryable, circleId: string, pledgeId: string): Promise<string | undefined> {
  const row = await sqlRow<{ currency: string }>(
    db,
    `SELECT currency FROM fund_pledges WHERE id = $1 AND circle_id = $2 AND withdrawn_at IS NULL`,
    [pledgeId, circleId],
  );
  return row?.currency;
}

/** Records money received into the locked accounts. A repeated idempotency key records nothing more. */
export async function postContribution(
  tx: Queryable,
  accounts: FundAccounts,
  input: {
    circleId: string;
    stewardMemberId: string;
    amountMinor: number;
    currency: string;
    pledgeId?: string | null;
    idempotencyKey?: string | null;
  },
  now: Date,
): Promise<{ isNew: boolean }> {
  const posted = await postTransfer(
    tx,
    {
      circleId: input.circleId,
      kind: "CONTRIBUTION",
      currency: input.currency,
      amountMinor: input.amountMinor,
      pledgeId: input.pledgeId,
      idempotencyKey: input.idempotencyKey,
      recordedByMemberId: input.stewardMemberId,
      entries: contributionEntries(accounts.HELD.id, accounts.CONTRIBUTED.id, input.amountMinor),
    },
    now,
  );
  return { isNew: posted !== undefined };
}

export interface DisbursementRow {
  id: string;
  circleId: string;
  recipientMemberId: string;
  amountMinor: number;
  currency: string;
  purpose: Purpose;
  reasonSealed: Buffer;
  status: "REQUESTED" | "APPROVED" | "DECLINED" | "PAID" | "WITHDRAWN";
  requestedAt: Date;
  decidedAt: Date | null;
  paidAt: Date | null;
}

const DISBURSEMENT_COLUMNS = `id, circle_id, recipient_member_id, amount_minor::float8 AS amount_minor, currency, purpose, reason_sealed, status, requested_at, decided_at, paid_at`;

export async function requestDisbursement(
  tx: Queryable,
  vault: Vault,
  input: {
    circleId: string;
    memberId: string;
    amountMinor: number;
    currency: string;
    purpose: Purpose;
    reason: string;
  },
  now: Date,
): Promise<DisbursementRow> {
  await rememberMember(tx, input.circleId, input.memberId, now);
  const id = randomUUID();
  const reasonSealed = await vault.seal(tx, input.circleId, "fund-reason", id, input.reason, now);
  const row = await sqlRow<DisbursementRow>(
    tx,
    `INSERT INTO disbursement_requests (id, circle_id, recipient_member_id, amount_minor, currency, purpose, reason_sealed, status, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'REQUESTED', $8) RETURNING ${DISBURSEMENT_COLUMNS}`,
    [id, input.circleId, input.memberId, input.amountMinor, input.currency, input.purpose, reasonSealed, now],
  );
  return returnedRow(row, "INSERT INTO disbursement_requests");
}

export async function disbursementsByIds(db: Queryable, ids: readonly string[]): Promise<DisbursementRow[]> {
  return sqlRows<DisbursementRow>(
    db,
    `SELECT ${DISBURSEMENT_COLUMNS} FROM disbursement_requests WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

export async function disbursementsOfCircle(
  db: Queryable,
  circleId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<DisbursementRow[]> {
  return sqlRows<DisbursementRow>(
    db,
    `SELECT ${DISBURSEMENT_COLUMNS} FROM disbursement_requests WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (requested_at, id) < ($2, $3::uuid)) ORDER BY requested_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
}

const FUND_PLEDGE_COLUMNS = "id, amount_minor::float8 AS amount_minor, currency, pledged_at, withdrawn_at";

/** A member's promise of money to the fund. */
export interface FundPledgeRow {
  id: string;
  amountMinor: number;
  currency: string;
  pledgedAt: Date;
  withdrawnAt: Date | null;
}

/** The member's own fund pledges in the circle, newest first, from after the keyset. */
export async function fundPledgesOfMember(
  db: Queryable,
  circleId: string,
  memberId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<FundPledgeRow[]> {
  return newestFirstRows<FundPledgeRow>(
    db,
    {
      select: FUND_PLEDGE_COLUMNS,
      from: "fund_pledges",
      instantColumn: "pledged_at",
      where: { circle_id: circleId, member_id: memberId },
    },
    after,
    limit,
  );
}

/** The member's own disbursement requests in the circle, newest first, from after the keyset. */
export async function disbursementsOfMember(
  db: Queryable,
  circleId: string,
  memberId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<DisbursementRow[]> {
  return newestFirstRows<DisbursementRow>(
    db,
    {
      select: DISBURSEMENT_COLUMNS,
      from: "disbursement_requests",
      instantColumn: "requested_at",
      where: { circle_id: circleId, recipient_member_id: memberId },
    },
    after,
    limit,
  );
}

/** The request, locked for the transaction: its decisions and its payment are serialized. */
export async function lockRequest(tx: Queryable, requestId: string): Promise<DisbursementRow | undefined> {
  return sqlRow<DisbursementRow>(
    tx,
    `SELECT ${DISBURSEMENT_COLUMNS} FROM disbursement_requests WHERE id = $1 FOR UPDATE`,
    [requestId],
  );
}

/** The stewards' word on a request so far. */
export async function decisionsOf(
  db: Queryable,
  requestId: string,
): Promise<Array<{ stewardMemberId: string; approves: boolean }>> {
  return sqlRows<{ stewardMemberId: string; approves: boolean }>(
    db,
    `SELECT steward_member_id, approves FROM disbursement_decisions WHERE request_id = $1`,
    [requestId],
  );
}

/** Records a steward's approval or objection (replacing their earlier one) and the status it leaves the request in. */
export async function recordStewardDecision(
  tx: Queryable,
  request: DisbursementRow,
  decision: { stewardMemberId: string; approves: boolean; status: "APPROVED" | "DECLINED" | "REQUESTED" },
  now: Date,
): Promise<DisbursementRow> {
  await tx.query(
    `INSERT INTO disbursement_decisions (request_id, circle_id, steward_member_id, approves, decided_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (request_id, steward_member_id) DO UPDATE SET approves = $4, decided_at = $5`,
    [request.id, request.circleId, decision.stewardMemberId, decision.approves, now],
  );
  if (decision.status === "REQUESTED") return request;
  const row = await sqlRow<DisbursementRow>(
    tx,
    `UPDATE disbursement_requests SET status = $2, decided_at = $3 WHERE id = $1 RETURNING ${DISBURSEMENT_COLUMNS}`,
    [request.id, decision.status, now],
  );
  return returnedRow(row, "UPDATE disbursement_requests");
}

/**
 * Pays an approved request from the locked accounts: HELD is debited, DISBURSED credited, and the
 * crisis the fund buffered is told to the hub (with a pseudonym of who was helped, never their id),
 * all in one transaction.
 */
export async function postDisbursement(
  tx: Queryable,
  vault: Vault,
  request: DisbursementRow,
  accounts: FundAccounts,
  stewardMemberId: string,
  now: Date,
): Promise<DisbursementRow> {
  const posted = await postTransfer(
    tx,
    {
      circleId: request.circleId,
      kind: "DISBURSEMENT",
      currency: request.currency,
      amountMinor: request.amountMinor,
      purpose: request.purpose,
      requestId: request.id,
      recordedByMemberId: stewardMemberId,
      entries: disbursementEntries(accounts.HELD.id, accounts.DISBURSED.id, request.amountMinor),
    },
    now,
  );
  if (!posted) throw new Error(`Request ${request.id} already has a disbursement although it was APPROVED.`);
  const row = await sqlRow<DisbursementRow>(
    tx,
    `UPDATE disbursement_requests SET status = 'PAID', paid_at = $2 WHERE id = $1 RETURNING ${DISBURSEMENT_COLUMNS}`,
    [request.id, now],
  );
  // Who was helped leaves only as a pseudonym, so the hub counts people without learning whom.
  const helpedKey = await vault.pseudonym(
    tx,
    request.circleId,
    "helpedPerson",
    posted.cycle,
    request.recipientMemberId,
    now,
  );
  await emitEvent(
    tx,
    "crisis.buffered",
    { circleId: request.circleId, caseId: request.id, cycle: posted.cycle, via: "FUND", helpedKey },
    now,
  );
  return returnedRow(row, "UPDATE disbursement_requests");
}

export async function heldBalances(
  db: Queryable,
  circleId: string,
): Promise<Array<{ currency: string; heldMinor: number }>> {
  return sqlRows<{ currency: string; heldMinor: number }>(
    db,
    `SELECT currency, balance_minor::float8 AS held_minor FROM fund_accounts WHERE circle_id = $1 AND kind = 'HELD' ORDER BY currency`,
    [circleId],
  );
}

/** Per currency and cycle: the fund's net change, how many contributions, and who received money. */
export async function flowsByCycle(db: Queryable, circleId: string): Promise<CycleFlow[]> {
  return sqlRows<CycleFlow>(
    db,
    `SELECT t.currency, t.cycle,
       sum(CASE WHEN t.kind = 'CONTRIBUTION' THEN t.amount_minor ELSE -t.amount_minor END)::float8 AS net_minor,
       count(*) FILTER (WHERE t.kind = 'CONTRIBUTION')::int AS contributions,
       COALESCE(array_agg(DISTINCT r.recipient_member_id) FILTER (WHERE r.recipient_member_id IS NOT NULL), '{}') AS recipient_member_ids
     FROM fund_transfers t LEFT JOIN disbursement_requests r ON r.id = t.request_id
     WHERE t.circle_id = $1 GROUP BY t.currency, t.cycle ORDER BY t.currency, t.cycle`,
    [circleId],
  );
}

/** A cycle's flows: contributions per currency with their count, and each disbursement's purpose, recipient and amount. */
export async function cycleFlows(db: Queryable, circleId: string, cycle: string) {
  const inflows = await sqlRows<{ currency: string; totalMinor: number; contributions: number }>(
    db,
    `SELECT currency, sum(amount_minor)::float8 AS total_minor, count(*)::int AS contributions FROM fund_transfers
     WHERE circle_id = $1 AND cycle = $2 AND kind = 'CONTRIBUTION' GROUP BY currency`,
    [circleId, cycle],
  );
  const outflows = await sqlRows<OutflowRow & { currency: string }>(
    db,
    `SELECT t.currency, t.purpose, r.recipient_member_id, t.amount_minor::float8 AS amount_minor FROM fund_transfers t JOIN disbursement_requests r ON r.id = t.request_id
     WHERE t.circle_id = $1 AND t.cycle = $2 AND t.kind = 'DISBURSEMENT'`,
    [circleId, cycle],
  );
  return {
    inflows,
    outflows: outflows.map(({ currency, ...row }) => ({ currency, row: row satisfies OutflowRow })),
  };
}

/** A fund pledge locked for its member's withdrawal, with how many contributions were received against it. */
export async function lockFundPledgeForWithdrawal(
  tx: Queryable,
  id: string,
): Promise<(FundPledgeRow & { circleId: string; memberId: string; contributionsReceived: number }) | undefined> {
  return sqlRow<FundPledgeRow & { circleId: string; memberId: string; contributionsReceived: number }>(
    tx,
    `SELECT ${FUND_PLEDGE_COLUMNS}, circle_id, member_id,
       (SELECT count(*)::int FROM fund_transfers t WHERE t.pledge_id = $1) AS contributions_received
     FROM fund_pledges WHERE id = $1 FOR UPDATE`,
    [id],
  );
}

export async function withdrawFundPledge(tx: Queryable, id: string, now: Date): Promise<FundPledgeRow> {
  const row = await sqlRow<FundPledgeRow>(
    tx,
    `UPDATE fund_pledges SET withdrawn_at = $2 WHERE id = $1 RETURNING ${FUND_PLEDGE_COLUMNS}`,
    [id, now],
  );
  return returnedRow(row, "UPDATE fund_pledges");
}

/** The recipient withdraws a request the stewards have not decided. */
export async function withdrawDisbursementRequest(tx: Queryable, id: string, now: Date): Promise<DisbursementRow> {
  const row = await sqlRow<DisbursementRow>(
    tx,
    `UPDATE disbursement_requests SET status = 'WITHDRAWN', withdrawn_at = $2 WHERE id = $1 RETURNING ${DISBURSEMENT_COLUMNS}`,
    [id, now],
  );
  return returnedRow(row, "UPDATE disbursement_requests");
}
