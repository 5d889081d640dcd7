import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import { accountCodeFrom, type SideTrade, type TransactionState } from "../domain/credit-commons.js";
import { assertBalancesMatchEntries, LedgerInvariantError, sumMinutes } from "../domain/ledger.js";
import { holdCycleBarrierShared } from "./cycle-barrier.js";
import { assertCycleBalancesMatchEntries, postTransfers, touchedAccountCycles } from "./transfers.js";

/** A circle that opted in as a leaf ledger under this hub's node. */
export interface CcLedger {
  circleId: string;
  ledgerName: string;
  tradeLimitMinutes: number;
  remoteAccountId: string;
}

/** A transaction as this node recorded it: the two paths, the amount, the cycle it counts in, and where each party lies from here. */
export interface CcTransactionRow {
  uuid: string;
  payerPath: string;
  payeePath: string;
  minutes: number;
  cycle: string;
  state: TransactionState;
  payerSide: string;
  payeeSide: string;
  /** Set when one party is a member of a circle of this hub. */
  circleId: string | null;
  memberId: string | null;
  memberRole: "payer" | "payee" | null;
  writtenAt: Date;
  decidedAt: Date | null;
}

const TRANSACTION_COLUMNS = `uuid, payer_path, payee_path, minutes, cycle, state, payer_side, payee_side, circle_id, member_id, member_role, written_at, decided_at`;
const LEDGER_COLUMNS = `circle_id, ledger_name, trade_limit_minutes, remote_account_id`;

/** Why a circle could not become (or stay) the ledger it asked to be, or the ledger it now is. */
export type CcJoin = { ledger: CcLedger } | { refused: "NAME_STAYS"; ledgerName: string } | { refused: "NAME_TAKEN" };

/**
 * Makes a circle a leaf ledger of this node (or changes its balance-of-trade limit): opens its
 * REMOTE account, the one that mirrors the node's account for the circle. The caller has opened
 * the acting organizer's account, so the circle's settings exist. A circle's name in the tree
 * stays once chosen (NAME_STAYS), and no two circles share one (NAME_TAKEN).
 */
export async function joinCreditCommons(
  manager: Queryable,
  input: { circleId: string; ledgerName: string; tradeLimitMinutes: number },
  now: Date,
): Promise<CcJoin> {
  await manager.query(
    `INSERT INTO accounts (circle_id, kind, opened_at) VALUES ($1, 'REMOTE', $2) ON CONFLICT DO NOTHING`,
    [input.circleId, now],
  );
  const [remote]: Array<{ id: string }> = await manager.query(
    `SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'REMOTE'`,
    [input.circleId],
  );
  const existing = await sqlRow<CcLedger>(
    manager,
    `SELECT ${LEDGER_COLUMNS} FROM cc_ledgers WHERE circle_id = $1 FOR UPDATE`,
    [input.circleId],
  );
  if (existing) {
    if (existing.ledgerName !== input.ledgerName) return { refused: "NAME_STAYS", ledgerName: existing.ledgerName };
    const updated = await sqlRow<CcLedger>(
      manager,
      `UPDATE cc_ledgers SET trade_limit_minutes = $2 WHERE circle_id = $1 RETURNING ${LEDGER_COLUMNS}`,
      [input.circleId, input.tradeLimitMinutes],
    );
    return { ledger: updated ?? existing };
  }
  const inserted = await sqlRow<CcLedger>(
    manager,
    `INSERT INTO cc_ledgers (circle_id, ledger_name, trade_limit_minutes, remote_account_id, opted_in_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ${LEDGER_COLUMNS}`,
    [input.circleId, input.ledgerName, input.tradeLimitMinutes, remote.id, now],
  );
  return inserted ? { ledger: inserted } : { refused: "NAME_TAKEN" };
}

export function ledgerOfCircle(db: Queryable, circleId: string): Promise<CcLedger | undefined> {
  return sqlRow<CcLedger>(db, `SELECT ${LEDGER_COLUMNS} FROM cc_ledgers WHERE circle_id = $1`, [circleId]);
}

export function ledgerNamed(db: Queryable, ledgerName: string): Promise<CcLedger | undefined> {
  return sqlRow<CcLedger>(db, `SELECT ${LEDGER_COLUMNS} FROM cc_ledgers WHERE ledger_name = $1`, [ledgerName]);
}

/** A member account's pseudonymous code in the tree, drawn at random the first time it is asked for. */
export async function accountCodeFor(
  manager: Queryable,
  circleId: string,
  accountId: string,
  now: Date,
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const known: Array<{ code: string }> = await manager.query(
      `SELECT code FROM cc_account_codes WHERE account_id = $1`,
      [accountId],
    );
    if (known.length > 0) return known[0].code;
    await manager.query(
      `INSERT INTO cc_account_codes (account_id, circle_id, code, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [accountId, circleId, accountCodeFrom(randomBytes(10)), now],
    );
  }
  throw new Error(`No account code could be drawn for account ${accountId} in five attempts.`);
}

/** The member account behind a code of a ledger, or undefined. */
export async function memberAccountByCode(
  db: Queryable,
  circleId: string,
  code: string,
): Promise<{ accountId: string; memberId: string; isClosed: boolean } | undefined> {
  const rows: Array<{ id: string; member_id: string; closed_at: Date | null }> = await db.query(
    `SELECT a.id, a.member_id, a.closed_at FROM cc_account_codes c JOIN accounts a ON a.id = c.account_id
     WHERE c.circle_id = $1 AND c.code = $2 AND a.kind = 'MEMBER'`,
    [circleId, code],
  );
  return rows[0] && { accountId: rows[0].id, memberId: rows[0].member_id, isClosed: rows[0].closed_at !== null };
}

/**
 * Records a transaction as pending; false when one with this uuid exists already (a concurrent
 * insert of the same uuid waits for the first to commit or roll back, so a retry applies once).
 */
export async function insertPendingTransaction(
  manager: Queryable,
  row: Omit<CcTransactionRow, "state" | "decidedAt">,
): Promise<boolean> {
  const inserted = await manager.query(
    `INSERT INTO cc_transactions (uuid, payer_path, payee_path, minutes, cycle, state, payer_side, payee_side, circle_id, member_id, member_role, written_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11) ON CONFLICT (uuid) DO NOTHING RETURNING uuid`,
    [
      row.uuid,
      row.payerPath,
      row.payeePath,
      row.minutes,
      row.cycle,
      row.payerSide,
      row.payeeSide,
      row.circleId,
      row.memberId,
      row.memberRole,
      row.writtenAt,
    ],
  );
  return inserted.length === 1;
}

export function findTransaction(
  db: Queryable,
  uuid: string,
  lock: "for update" | "no lock",
): Promise<CcTransactionRow | undefined> {
  return sqlRow<CcTransactionRow>(
    db,
    `SELECT ${TRANSACTION_COLUMNS} FROM cc_transactions WHERE uuid = $1 ${lock === "for update" ? "FOR UPDATE" : ""}`,
    [uuid],
  );
}

export async function markTransaction(
  manager: Queryable,
  uuid: string,
  state: "completed" | "erased",
  now: Date,
): Promise<CcTransactionRow> {
  const marked = await sqlRow<CcTransactionRow>(
    manager,
    `UPDATE cc_transactions SET state = $2, decided_at = $3 WHERE uuid = $1 RETURNING ${TRANSACTION_COLUMNS}`,
    [uuid, state, now],
  );
  if (!marked) throw new Error(`Transaction ${uuid} vanished while it was locked.`);
  return marked;
}

/** Erases a transaction if it is still pending (outside any other work: the completion that found it dead rolled back). */
export async function markPendingErased(db: Queryable, uuid: string, now: Date): Promise<void> {
  await db.query(`UPDATE cc_transactions SET state = 'erased', decided_at = $2 WHERE uuid = $1 AND state = 'pending'`, [
    uuid,
    now,
  ]);
}

/** Locks the node's balances with the given sides in a cycle (rows created at zero), in side order; returns them. */
export async function lockNodeSides(
  manager: Queryable,
  sides: readonly string[],
  cycle: string,
): Promise<Map<string, number>> {
  const sorted = [...new Set(sides)].sort();
  await manager.query(
    `INSERT INTO cc_node_balances (side, cycle) SELECT s, $2 FROM unnest($1::text[]) AS s ORDER BY s ON CONFLICT DO NOTHING`,
    [sorted, cycle],
  );
  const rows: Array<{ side: string; balance_minutes: number }> = await manager.query(
    `SELECT side, balance_minutes FROM cc_node_balances WHERE side = ANY($1::text[]) AND cycle = $2 ORDER BY side FOR UPDATE`,
    [sorted, cycle],
  );
  return new Map(rows.map((row) => [row.side, row.balance_minutes]));
}

/**
 * Writes a completed transaction's entries in the node's own ledger and moves the sides' balances,
 * then asserts that the entries sum to zero and each balance equals the sum of its entries in the
 * cycle. The caller holds the sides' rows (lockNodeSides).
 */
export async function writeNodeEntries(
  manager: Queryable,
  uuid: string,
  entries: ReadonlyArray<{ side: string; amountMinutes: number }>,
  cycle: string,
): Promise<void> {
  const total = sumMinutes(entries.map((entry) => ({ accountId: entry.side, amountMinutes: entry.amountMinutes })));
  if (total !== 0) throw new LedgerInvariantError(`Node entries of ${uuid} sum to ${total} minutes instead of 0.`);
  const sides = entries.map((entry) => entry.side);
  const amounts = entries.map((entry) => entry.amountMinutes);
  await manager.query(
    `INSERT INTO cc_node_entries (transaction_uuid, side, cycle, amount_minutes) SELECT $1, s, $3, a FROM unnest($2::text[], $4::integer[]) AS e(s, a)`,
    [uuid, sides, cycle, amounts],
  );
  await manager.query(
    `UPDATE cc_node_balances b SET balance_minutes = b.balance_minutes + e.a FROM unnest($1::text[], $3::integer[]) AS e(s, a) WHERE b.side = e.s AND b.cycle = $2`,
    [sides, cycle, amounts],
  );
  const checks: Array<{ side: string; balance_minutes: number; entries_sum: string }> = await manager.query(
    `SELECT b.side, b.balance_minutes,
       COALESCE((SELECT sum(e.amount_minutes) FROM cc_node_entries e WHERE e.side = b.side AND e.cycle = b.cycle), 0) AS entries_sum
     FROM cc_node_balances b WHERE b.side = ANY($1::text[]) AND b.cycle = $2`,
    [sides, cycle],
  );
  assertBalancesMatchEntries(
    checks.map((row) => ({
      accountId: `node side ${row.side} in ${cycle}`,
      balanceMinutes: row.balance_minutes,
      entriesSumMinutes: Number(row.entries_sum),
    })),
  );
}

/** A member's side of a transaction on this hub, locked: their account, the circle's REMOTE account and what the limits need. */
export interface LockedLocalSide {
  memberAccountId: string;
  isClosed: boolean;
  remoteAccountId: string;
  memberBalanceMinutes: number;
  remoteBalanceMinutes: number;
  floorMinutes: number;
  ceilingMinutes: number;
  tradeLimitMinutes: number;
  expiredThrough: string | null;
}

/**
 * Holds the circle's cycle barrier shared, then locks the member's account and the circle's REMOTE
 * account in id order (as a sister confirmation does), and reads their balances in the cycle.
 */
export async function lockLocalSide(
  manager: Queryable,
  circleId: string,
  memberId: string,
  cycle: string,
): Promise<LockedLocalSide> {
  await holdCycleBarrierShared(manager, circleId);
  const accounts: Array<{ id: string; kind: string; closed_at: Date | null }> = await manager.query(
    `SELECT id, kind, closed_at FROM accounts
     WHERE circle_id = $1 AND ((kind = 'MEMBER' AND member_id = $2) OR kind = 'REMOTE') ORDER BY id FOR UPDATE`,
    [circleId, memberId],
  );
  const member = accounts.find((a) => a.kind === "MEMBER");
  const remote = accounts.find((a) => a.kind === "REMOTE");
  if (!member || !remote) throw new Error(`Circle ${circleId} lacks the member or REMOTE account of a transaction.`);
  const [settings]: Array<{
    floor_minutes: number;
    ceiling_minutes: number;
    expired_through: string | null;
    trade_limit_minutes: number;
  }> = await manager.query(
    `SELECT s.floor_minutes, s.ceiling_minutes, s.expired_through, l.trade_limit_minutes
     FROM circle_settings s JOIN cc_ledgers l ON l.circle_id = s.circle_id WHERE s.circle_id = $1`,
    [circleId],
  );
  const balances: Array<{ account_id: string; balance_minutes: number }> = await manager.query(
    `SELECT account_id, balance_minutes FROM account_cycles WHERE account_id = ANY($1::uuid[]) AND cycle = $2`,
    [[member.id, remote.id], cycle],
  );
  const balanceOf = (id: string) => balances.find((b) => b.account_id === id)?.balance_minutes ?? 0;
  return {
    memberAccountId: member.id,
    isClosed: member.closed_at !== null,
    remoteAccountId: remote.id,
    memberBalanceMinutes: balanceOf(member.id),
    remoteBalanceMinutes: balanceOf(remote.id),
    floorMinutes: settings.floor_minutes,
    ceilingMinutes: settings.ceiling_minutes,
    tradeLimitMinutes: settings.trade_limit_minutes,
    expiredThrough: settings.expired_through,
  };
}

/**
 * Writes the circle's side of a completed transaction: a REMOTE transfer between the member and the
 * circle's REMOTE account (the payer debited and REMOTE credited, or REMOTE debited and the payee
 * credited), and asserts the balances still equal their entries. The caller holds lockLocalSide.
 */
export async function postRemoteTransfer(
  manager: Queryable,
  input: {
    uuid: string;
    circleId: string;
    side: LockedLocalSide;
    role: "payer" | "payee";
    minutes: number;
    cycle: string;
  },
  now: Date,
): Promise<void> {
  const memberMinutes = input.role === "payer" ? -input.minutes : input.minutes;
  const written = await postTransfers(
    manager,
    input.circleId,
    [
      {
        kind: "REMOTE",
        cycle: input.cycle,
        ccTransactionId: input.uuid,
        entries: [
          { accountId: input.side.memberAccountId, amountMinutes: memberMinutes },
          { accountId: input.side.remoteAccountId, amountMinutes: -memberMinutes },
        ],
      },
    ],
    now,
  );
  if (written.length !== 1)
    throw new LedgerInvariantError(`Transaction ${input.uuid} was already written in ${input.circleId}.`);
  await assertCycleBalancesMatchEntries(manager, touchedAccountCycles(written));
}

/** A member's transactions with other hubs in a circle, newest first. */
export function memberRemoteTransactions(
  db: DataSource,
  query: { circleId: string; memberId: string; after?: InstantCursor; limit: number },
): Promise<CcTransactionRow[]> {
  return sqlRows<CcTransactionRow>(
    db,
    `SELECT ${TRANSACTION_COLUMNS} FROM cc_transactions WHERE member_id = $2 AND circle_id = $1
       AND ($3::timestamptz IS NULL OR (written_at, uuid) < ($3, $4::uuid))
     ORDER BY written_at DESC, uuid DESC LIMIT $5`,
    [query.circleId, query.memberId, query.after?.at ?? null, query.after?.id ?? null, query.limit],
  );
}

/** The node's balance with each side in a cycle. */
export function nodeBalancesIn(db: Queryable, cycle: string): Promise<Array<{ side: string; balanceMinutes: number }>> {
  return sqlRows(db, `SELECT side, balance_minutes FROM cc_node_balances WHERE cycle = $1 ORDER BY side`, [cycle]);
}

/** Transactions waiting for consent on this node, oldest first. */
export function pendingTransactions(db: Queryable, limit: number): Promise<CcTransactionRow[]> {
  return sqlRows<CcTransactionRow>(
    db,
    `SELECT ${TRANSACTION_COLUMNS} FROM cc_transactions WHERE state = 'pending' ORDER BY written_at, uuid LIMIT $1`,
    [limit],
  );
}

/** What the node's account for one side did in a cycle: its completed entries (with when they were decided) and pending transactions. */
export async function sideActivity(
  db: Queryable,
  side: string,
  cycle: string,
): Promise<{ entries: Array<{ amountMinutes: number; at: Date }>; pendingMinutes: number }> {
  const entries: Array<{ amount_minutes: number; decided_at: Date }> = await db.query(
    `SELECT e.amount_minutes, t.decided_at FROM cc_node_entries e JOIN cc_transactions t ON t.uuid = e.transaction_uuid
     WHERE e.side = $1 AND e.cycle = $2 ORDER BY t.decided_at, t.uuid LIMIT 10000`,
    [side, cycle],
  );
  const [pending]: Array<{ minutes: string | null }> = await db.query(
    `SELECT sum(minutes) AS minutes FROM cc_transactions WHERE state = 'pending' AND cycle = $2 AND (payer_side = $1 OR payee_side = $1)`,
    [side, cycle],
  );
  return {
    entries: entries.map((row) => ({ amountMinutes: row.amount_minutes, at: row.decided_at })),
    pendingMinutes: Number(pending.minutes ?? 0),
  };
}

/**
 * What the node traded with each side in a cycle, with the distinct accounts at both ends: only
 * transactions this node completed before the cycle's new moon (`endsAt`), so the figure never
 * changes once the cycle has ended, even when a completion the payer's side decided in time is
 * recorded here later.
 */
export async function nodeTradeIn(db: Queryable, cycle: string, endsAt: Date): Promise<SideTrade[]> {
  const rows: Array<{
    side: string;
    to_side: string | null;
    from_side: string | null;
    on_side: string;
    counterparts: string;
  }> = await db.query(
    `SELECT e.side,
         sum(e.amount_minutes) FILTER (WHERE e.amount_minutes > 0) AS to_side,
         -sum(e.amount_minutes) FILTER (WHERE e.amount_minutes < 0) AS from_side,
         count(DISTINCT CASE WHEN e.amount_minutes > 0 THEN t.payee_path ELSE t.payer_path END) AS on_side,
         count(DISTINCT CASE WHEN e.amount_minutes > 0 THEN t.payer_path ELSE t.payee_path END) AS counterparts
       FROM cc_node_entries e JOIN cc_transactions t ON t.uuid = e.transaction_uuid
       WHERE e.cycle = $1 AND t.decided_at < $2 GROUP BY e.side ORDER BY e.side`,
    [cycle, endsAt],
  );
  return rows.map((row) => ({
    side: row.side,
    minutesToSide: Number(row.to_side ?? 0),
    minutesFromSide: Number(row.from_side ?? 0),
    accountsOnSide: Number(row.on_side),
    counterparts: Number(row.counterparts),
  }));
}

/**
 * Records that the payee's confirmation of a transaction is on its way towards the payer's side
 * (called outside the transaction that holds the transaction's row, so it survives a rollback);
 * false when it was already in doubt from an earlier attempt.
 */
export async function recordCompletionInDoubt(db: Queryable, uuid: string, now: Date): Promise<boolean> {
  const inserted = await db.query(
    `INSERT INTO cc_completions_in_doubt (transaction_uuid, consented_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING transaction_uuid`,
    [uuid, now],
  );
  return inserted.length === 1;
}

/** When the payee's confirmation of a transaction went out without an answer, or undefined. */
export async function completionInDoubtSince(db: Queryable, uuid: string): Promise<Date | undefined> {
  const rows: Array<{ consented_at: Date }> = await db.query(
    `SELECT consented_at FROM cc_completions_in_doubt WHERE transaction_uuid = $1`,
    [uuid],
  );
  return rows[0]?.consented_at;
}

export async function clearCompletionInDoubt(db: Queryable, uuid: string): Promise<void> {
  await db.query(`DELETE FROM cc_completions_in_doubt WHERE transaction_uuid = $1`, [uuid]);
}

/** Counts one more attempt at a completion in doubt. */
export async function countCompletionAttempt(db: Queryable, uuid: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE cc_completions_in_doubt SET attempts = attempts + 1, last_attempt_at = $2 WHERE transaction_uuid = $1`,
    [uuid, now],
  );
}

/** Completions in doubt whose transaction is still pending here (the oldest first), with the payee to act for. */
export async function completionsInDoubt(
  db: Queryable,
  limit: number,
): Promise<Array<{ uuid: string; memberId: string; circleId: string; cycle: string }>> {
  const rows: Array<{ uuid: string; member_id: string; circle_id: string; cycle: string }> = await db.query(
    `SELECT t.uuid, t.member_id, t.circle_id, t.cycle FROM cc_completions_in_doubt d
       JOIN cc_transactions t ON t.uuid = d.transaction_uuid
     WHERE t.state = 'pending' AND t.member_role = 'payee' ORDER BY d.consented_at LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ uuid: row.uuid, memberId: row.member_id, circleId: row.circle_id, cycle: row.cycle }));
}

/** Whether a circle still waits on a completion in doubt of a cycle (its expiry of that cycle waits for it). */
export async function hasCompletionInDoubt(db: Queryable, circleId: string, cycle: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM cc_completions_in_doubt d JOIN cc_transactions t ON t.uuid = d.transaction_uuid
     WHERE t.circle_id = $1 AND t.cycle = $2 AND t.state = 'pending' LIMIT 1`,
    [circleId, cycle],
  );
  return rows.length > 0;
}

/** The payer's side as it stands in a cycle, read without locks (a proposal's first check). */
export async function payerStanding(
  db: Queryable,
  circleId: string,
  memberId: string,
  cycle: string,
): Promise<
  | { memberBalanceMinutes: number; floorMinutes: number; remoteBalanceMinutes: number; tradeLimitMinutes: number }
  | undefined
> {
  const rows: Array<{
    floor_minutes: number;
    trade_limit_minutes: number;
    member_balance: number;
    remote_balance: number;
  }> = await db.query(
    `SELECT s.floor_minutes, l.trade_limit_minutes,
       COALESCE((SELECT ac.balance_minutes FROM account_cycles ac JOIN accounts a ON a.id = ac.account_id
                 WHERE a.circle_id = $1 AND a.kind = 'MEMBER' AND a.member_id = $2 AND ac.cycle = $3), 0) AS member_balance,
       COALESCE((SELECT ac.balance_minutes FROM account_cycles ac WHERE ac.account_id = l.remote_account_id AND ac.cycle = $3), 0) AS remote_balance
     FROM circle_settings s JOIN cc_ledgers l ON l.circle_id = s.circle_id WHERE s.circle_id = $1`,
    [circleId, memberId, cycle],
  );
  const row = rows[0];
  return (
    row && {
      memberBalanceMinutes: row.member_balance,
      floorMinutes: row.floor_minutes,
      remoteBalanceMinutes: row.remote_balance,
      tradeLimitMinutes: row.trade_limit_minutes,
    }
  );
}
