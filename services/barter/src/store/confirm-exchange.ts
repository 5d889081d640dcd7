import type { EntityManager } from "typeorm";
import { badInput, conflict, cycleContaining, forbidden, notFound } from "@rhizome/kit";
import { exchangeLimitProblem, type Audience } from "../domain/balance-limits.js";
import { exchangeActionProblem, type ExchangeStatus } from "../domain/exchanges.js";
import { exchangeTransfer } from "../domain/ledger.js";
import { assertAccountsMatchEntries, ledgerSql, postTransfers } from "./transfers.js";
import { LEFT_THE_CIRCLE } from "./accounts.js";

/**
 * The SQL of a confirmation, kept together so a benchmark can replay it against raw pg. In one
 * READ COMMITTED transaction: lockExchange, lockPartyAccounts, then the clock is read once, then circleLimits, then
 * ledgerSql.insertTransfers, insertEntries and moveBalances, then markDecided, and last
 * ledgerSql.balancesAndEntrySums to assert that both balances still equal their entries.
 *
 * Locking: the exchange row first, then both accounts with SELECT ... FOR UPDATE in id order.
 * Confirmations against a popular account queue on its row lock and each sees the balance the
 * previous one committed, so none is lost and none passes the floor or ceiling. The fixed order
 * means two confirmations between the same pair cannot deadlock, and expiry locks accounts in the
 * same order. SERIALIZABLE would also be correct, but under contention it aborts most concurrent
 * confirmations with 40001 and retries them (a bounded number of times, so some would fail
 * outright); a queue on one row is cheaper, fair, and needs no retry loop.
 */
export const confirmExchangeSql = {
  lockExchange: `SELECT id, circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, status, proposed_cycle
                 FROM exchanges WHERE id = $1 FOR UPDATE`,
  lockPartyAccounts: `SELECT id, member_id, balance_minutes, closed_at FROM accounts
                      WHERE circle_id = $1 AND member_id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
  circleLimits: `SELECT floor_minutes, ceiling_minutes FROM circle_settings WHERE circle_id = $1`,
  markDecided: `UPDATE exchanges SET status = $2, decided_at = $3 WHERE id = $1`,
  ...ledgerSql,
} as const;

export interface LockedExchange {
  id: string;
  circleId: string;
  providerMemberId: string;
  receiverMemberId: string;
  proposerMemberId: string;
  minutes: number;
  status: ExchangeStatus;
  proposedCycle: string;
}

export async function lockExchange(manager: EntityManager, exchangeId: string): Promise<LockedExchange | undefined> {
  const rows: Array<Record<string, string & number>> = await manager.query(confirmExchangeSql.lockExchange, [exchangeId]);
  const row = rows[0];
  return (
    row && {
      id: row.id,
      circleId: row.circle_id,
      providerMemberId: row.provider_member_id,
      receiverMemberId: row.receiver_member_id,
      proposerMemberId: row.proposer_member_id,
      minutes: row.minutes,
      status: row.status as ExchangeStatus,
      proposedCycle: row.proposed_cycle,
    }
  );
}

export const OTHER_PARTY_LEFT = "The other party has left this circle, so this exchange can no longer be confirmed.";

/**
 * Confirms an exchange: moves its minutes from receiver to provider. The exchange row must already
 * be locked by the caller (lockExchange). Both accounts are locked next, and only then is `clock`
 * read, exactly once: a confirmation that waited on a lock across a new moon is judged, labelled
 * and dated by the same instant, so a proposal whose cycle ended meanwhile is refused as lapsed
 * instead of moving credits into the next cycle.
 */
export async function postConfirmedExchange(
  manager: EntityManager,
  exchange: LockedExchange,
  confirmerMemberId: string,
  clock: () => Date,
): Promise<{ confirmedAt: Date; cycle: string }> {
  const accounts: Array<{ id: string; member_id: string; balance_minutes: number; closed_at: Date | null }> = await manager.query(confirmExchangeSql.lockPartyAccounts, [
    exchange.circleId,
    [exchange.providerMemberId, exchange.receiverMemberId],
  ]);
  const provider = accounts.find((a) => a.member_id === exchange.providerMemberId);
  const receiver = accounts.find((a) => a.member_id === exchange.receiverMemberId);
  if (!provider || !receiver) throw new Error(`Exchange ${exchange.id} names a member without an account in circle ${exchange.circleId}.`);
  const confirmer = provider.member_id === confirmerMemberId ? provider : receiver;
  if (confirmer.closed_at) throw forbidden(LEFT_THE_CIRCLE);
  if (provider.closed_at || receiver.closed_at) throw notFound(OTHER_PARTY_LEFT);

  const confirmedAt = clock();
  const cycle = cycleContaining(confirmedAt).label;
  const actionProblem = exchangeActionProblem(
    { status: exchange.status, proposerMemberId: exchange.proposerMemberId, proposedCycle: exchange.proposedCycle },
    "confirm",
    confirmerMemberId,
    cycle,
  );
  if (actionProblem) throw actionProblem.code === "FORBIDDEN" ? forbidden(actionProblem.problem) : conflict(actionProblem.problem);

  const [limits]: Array<{ floor_minutes: number; ceiling_minutes: number }> = await manager.query(confirmExchangeSql.circleLimits, [exchange.circleId]);
  const audience = (memberId: string): Audience => (memberId === confirmerMemberId ? "owner" : "counterpart");
  const limitProblem = exchangeLimitProblem(
    {
      provider: { balanceMinutes: provider.balance_minutes, audience: audience(provider.member_id) },
      receiver: { balanceMinutes: receiver.balance_minutes, audience: audience(receiver.member_id) },
      minutes: exchange.minutes,
    },
    { floorMinutes: limits.floor_minutes, ceilingMinutes: limits.ceiling_minutes },
  );
  if (limitProblem) throw badInput(limitProblem);

  const transfer = { ...exchangeTransfer(provider.id, receiver.id, exchange.minutes), cycle, exchangeId: exchange.id };
  const posted = await postTransfers(manager, exchange.circleId, [transfer], confirmedAt);
  if (posted.length !== 1) throw new Error(`Exchange ${exchange.id} already has a transfer although it was pending.`);
  await manager.query(confirmExchangeSql.markDecided, [exchange.id, "CONFIRMED", confirmedAt]);
  await assertAccountsMatchEntries(manager, [provider.id, receiver.id]);
  return { confirmedAt, cycle };
}
