import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { assertBalancesMatchEntries, assertTransferBalanced, type Transfer } from "../domain/ledger.js";

/** The statements that write the ledger, shared by confirmations and expiry. */
export const ledgerSql = {
  insertTransfers: `INSERT INTO transfers (id, circle_id, kind, cycle, exchange_id, expired_account_id, recorded_at)
     SELECT t.id, $1, t.kind, t.cycle, t.exchange_id, t.expired_account_id, $2
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[]) AS t(id, kind, cycle, exchange_id, expired_account_id)
     ON CONFLICT DO NOTHING
     RETURNING id`,
  insertEntries: `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::integer[], $4::text[])`,
  moveBalances: `UPDATE accounts AS a SET balance_minutes = a.balance_minutes + d.delta
     FROM unnest($1::uuid[], $2::integer[]) AS d(id, delta)
     WHERE a.id = d.id`,
  balancesAndEntrySums: `SELECT a.id, a.balance_minutes, COALESCE((SELECT sum(e.amount_minutes) FROM entries e WHERE e.account_id = a.id), 0) AS entries_sum
     FROM accounts a WHERE a.id = ANY($1::uuid[])`,
} as const;

/** A transfer ready to be written. `cycle` is the lunar cycle it counts in. */
export interface PlannedTransfer extends Transfer {
  cycle: string;
  exchangeId?: string;
  expiredAccountId?: string;
}

/**
 * Writes transfers with their entries and moves the cached balances by the same amounts.
 * A transfer that would repeat one already written (same exchange, or same account and expired
 * cycle) is skipped by a unique index; the transfers actually written are returned.
 * The caller must hold locks on every account involved (see confirm-exchange.ts, expiry.ts).
 */
export async function postTransfers(manager: EntityManager, circleId: string, transfers: readonly PlannedTransfer[], recordedAt: Date): Promise<PlannedTransfer[]> {
  if (transfers.length === 0) return [];
  for (const transfer of transfers) assertTransferBalanced(transfer);
  const ids = transfers.map(() => randomUUID());
  const written: Array<{ id: string }> = await manager.query(
    ledgerSql.insertTransfers,
    [
      circleId,
      recordedAt,
      ids,
      transfers.map((t) => t.kind),
      transfers.map((t) => t.cycle),
      transfers.map((t) => t.exchangeId ?? null),
      transfers.map((t) => t.expiredAccountId ?? null),
    ],
  );
  const writtenIds = new Set(written.map((row) => row.id));
  const posted = transfers.filter((_, index) => writtenIds.has(ids[index]));
  const entries = transfers.flatMap((transfer, index) =>
    writtenIds.has(ids[index]) ? transfer.entries.map((entry) => ({ ...entry, transferId: ids[index], cycle: transfer.cycle })) : [],
  );
  if (entries.length === 0) return posted;
  await manager.query(
    ledgerSql.insertEntries,
    [entries.map((e) => e.transferId), entries.map((e) => e.accountId), entries.map((e) => e.amountMinutes), entries.map((e) => e.cycle)],
  );
  const deltas = new Map<string, number>();
  for (const entry of entries) deltas.set(entry.accountId, (deltas.get(entry.accountId) ?? 0) + entry.amountMinutes);
  await manager.query(
    ledgerSql.moveBalances,
    [[...deltas.keys()], [...deltas.values()]],
  );
  return posted;
}

/** Re-reads the accounts inside the transaction and throws (rolling it back) unless each cached balance equals the sum of its entries. */
export async function assertAccountsMatchEntries(manager: EntityManager, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  const rows: Array<{ id: string; balance_minutes: number; entries_sum: string }> = await manager.query(
    ledgerSql.balancesAndEntrySums,
    [accountIds],
  );
  if (rows.length !== new Set(accountIds).size) throw new Error(`Expected ${new Set(accountIds).size} accounts, found ${rows.length}.`);
  assertBalancesMatchEntries(rows.map((r) => ({ accountId: r.id, balanceMinutes: r.balance_minutes, entriesSumMinutes: Number(r.entries_sum) })));
}
