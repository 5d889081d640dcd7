import { randomUUID } from "node:crypto";
import { sqlRows, type Queryable } from "@rhizome/kit";
import { assertBalancesMatchEntries, assertTransferBalanced, type Transfer } from "../domain/ledger.js";

/**
 * The statements that write the ledger. Balances are kept per account and lunar cycle
 * (`account_cycles`): a write touches only the rows of the cycle it counts in, and the check that a
 * balance equals its entries sums only that cycle's entries of that account, so the work of a
 * confirmation does not grow with the circle's history.
 */
export const ledgerSql = {
  /**
   * One statement: the transfers (a repeat of one already written, same exchange and circle or same
   * account and closing cycle, is skipped by a unique index), the entries of those written, and the
   * cycle balances they move. Returns the ids of the transfers written.
   */
  postTransfers: `WITH written AS (
       INSERT INTO transfers (id, circle_id, kind, cycle, exchange_id, expired_account_id, sister_exchange_id, cc_transaction_id, recorded_at)
       SELECT t.id, $1, t.kind, t.cycle, t.exchange_id, t.expired_account_id, t.sister_exchange_id, t.cc_transaction_id, $2
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $12::uuid[], $13::uuid[]) AS t(id, kind, cycle, exchange_id, expired_account_id, sister_exchange_id, cc_transaction_id)
       ON CONFLICT DO NOTHING
       RETURNING id
     ),
     planned AS (
       SELECT p.* FROM unnest($8::uuid[], $9::uuid[], $10::integer[], $11::text[]) AS p(transfer_id, account_id, amount_minutes, cycle)
       JOIN written w ON w.id = p.transfer_id
     ),
     entries_written AS (
       INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle) SELECT transfer_id, account_id, amount_minutes, cycle FROM planned
     ),
     balances_moved AS (
       INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes)
       SELECT account_id, cycle, $1, sum(amount_minutes) FROM planned GROUP BY account_id, cycle
       ON CONFLICT (account_id, cycle) DO UPDATE SET balance_minutes = account_cycles.balance_minutes + EXCLUDED.balance_minutes
     )
     SELECT id FROM written`,
  /** Each (account, cycle)'s balance and the sum of that account's entries in that cycle, read after the write. */
  cycleBalancesAndEntrySums: `SELECT w.account_id, w.cycle, COALESCE(c.balance_minutes, 0) AS balance_minutes,
       COALESCE((SELECT sum(e.amount_minutes) FROM entries e WHERE e.account_id = w.account_id AND e.cycle = w.cycle), 0) AS entries_sum
     FROM unnest($1::uuid[], $2::text[]) AS w(account_id, cycle)
     LEFT JOIN account_cycles c ON c.account_id = w.account_id AND c.cycle = w.cycle`,
} as const;

/** A transfer ready to be written. `cycle` is the lunar cycle it counts in. */
export interface PlannedTransfer extends Transfer {
  cycle: string;
  exchangeId?: string;
  expiredAccountId?: string;
  sisterExchangeId?: string;
  /** The Credit Commons transaction a REMOTE transfer records. */
  ccTransactionId?: string;
}

/**
 * Writes transfers with their entries and moves the cycle balances by the same amounts, in one
 * statement. A transfer that would repeat one already written is skipped; the transfers actually
 * written are returned. The caller must hold locks on every account involved and the circle's
 * cycle barrier (see cycle-barrier.ts), and must not label a transfer with a cycle whose expiry
 * has begun.
 */
export async function postTransfers(
  manager: Queryable,
  circleId: string,
  transfers: readonly PlannedTransfer[],
  recordedAt: Date,
): Promise<PlannedTransfer[]> {
  if (transfers.length === 0) return [];
  for (const transfer of transfers) assertTransferBalanced(transfer);
  const ids = transfers.map(() => randomUUID());
  const entries = transfers.flatMap((transfer, index) =>
    transfer.entries.map((entry) => ({ ...entry, transferId: ids[index], cycle: transfer.cycle })),
  );
  const written = await sqlRows<{ id: string }>(manager, ledgerSql.postTransfers, [
    circleId,
    recordedAt,
    ids,
    transfers.map((t) => t.kind),
    transfers.map((t) => t.cycle),
    transfers.map((t) => t.exchangeId ?? null),
    transfers.map((t) => t.expiredAccountId ?? null),
    entries.map((e) => e.transferId),
    entries.map((e) => e.accountId),
    entries.map((e) => e.amountMinutes),
    entries.map((e) => e.cycle),
    transfers.map((t) => t.sisterExchangeId ?? null),
    transfers.map((t) => t.ccTransactionId ?? null),
  ]);
  const writtenIds = new Set(written.map((row) => row.id));
  return transfers.filter((_, index) => writtenIds.has(ids[index]));
}

export interface AccountCycle {
  accountId: string;
  cycle: string;
}

/**
 * Re-reads the cycle balances inside the transaction and throws (rolling it back) unless each
 * equals the sum of the account's entries in that cycle. For an open cycle, which has no closing
 * entries yet, this is the whole truth about the account's balance in it.
 */
export async function assertCycleBalancesMatchEntries(
  manager: Queryable,
  accountCycles: readonly AccountCycle[],
): Promise<void> {
  if (accountCycles.length === 0) return;
  const rows = await sqlRows<{ accountId: string; cycle: string; balanceMinutes: number; entriesSum: string }>(
    manager,
    ledgerSql.cycleBalancesAndEntrySums,
    [accountCycles.map((a) => a.accountId), accountCycles.map((a) => a.cycle)],
  );
  assertBalancesMatchEntries(
    rows.map((r) => ({
      accountId: `${r.accountId} in ${r.cycle}`,
      balanceMinutes: r.balanceMinutes,
      entriesSumMinutes: Number(r.entriesSum),
    })),
  );
}

/** Every (account, cycle) a set of transfers touched, once each. */
export function touchedAccountCycles(transfers: readonly PlannedTransfer[]): AccountCycle[] {
  const seen = new Map<string, AccountCycle>();
  for (const transfer of transfers) {
    for (const entry of transfer.entries)
      seen.set(`${entry.accountId}@${transfer.cycle}`, { accountId: entry.accountId, cycle: transfer.cycle });
  }
  return [...seen.values()];
}
