import { emitEvent, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { SHARED_BARRIER_SQL } from "./cycle-barrier.js";
import { exchangeSql, markDecided, type ExchangeRow } from "./exchanges.js";
import {
  assertCycleBalancesMatchEntries,
  ledgerSql,
  postTransfers,
  touchedAccountCycles,
  type PlannedTransfer,
} from "./transfers.js";

/**
 * The SQL of a confirmation, kept together so a benchmark can replay it against raw pg. In one
 * READ COMMITTED transaction: lockExchange; lockPartyAccounts (which also holds the circle's cycle
 * barrier shared); then the clock is read once; cycleState (limits, the cycle whose expiry began
 * last, and both parties' balances in the cycle of that instant); ledgerSql.postTransfers (transfer,
 * entries and cycle balances in one statement); markDecided; ledgerSql.cycleBalancesAndEntrySums to
 * assert that both balances still equal their entries in this cycle; and the exchange.confirmed event.
 *
 * Locking: the exchange row first, then both accounts with SELECT ... FOR UPDATE in id order.
 * Confirmations against a popular account queue on its row lock and each sees the balance the
 * previous one committed, so none is lost and none passes the floor or ceiling. The fixed order
 * means two confirmations between the same pair cannot deadlock. SERIALIZABLE would also be
 * correct, but under contention it aborts most concurrent confirmations with 40001 and retries them
 * (a bounded number of times, so some would fail outright); a queue on one row is cheaper, fair,
 * and needs no retry loop. Every statement reads one cycle's rows of two accounts: the work is the
 * same in a circle's first cycle and after years of them.
 */
export const confirmExchangeSql = {
  lockExchange: exchangeSql.lockExchange,
  lockPartyAccounts: `SELECT id, member_id, closed_at FROM accounts
                      WHERE circle_id = $1 AND member_id = ANY($2::uuid[]) AND ${SHARED_BARRIER_SQL} IS NOT NULL
                      ORDER BY id FOR UPDATE`,
  cycleState: `SELECT s.floor_minutes, s.ceiling_minutes, s.expired_through,
                 COALESCE(p.balance_minutes, 0) AS provider_minutes, COALESCE(r.balance_minutes, 0) AS receiver_minutes
               FROM circle_settings s
               LEFT JOIN account_cycles p ON p.account_id = $2 AND p.cycle = $4
               LEFT JOIN account_cycles r ON r.account_id = $3 AND r.cycle = $4
               WHERE s.circle_id = $1`,
  markDecided: exchangeSql.markDecided,
  ...ledgerSql,
} as const;

export interface PartyAccount {
  id: string;
  memberId: string;
  closedAt: Date | null;
}

/** Both parties' accounts, locked in id order, with the circle's cycle barrier held shared. */
export async function lockPartyAccounts(
  tx: Queryable,
  exchange: Pick<ExchangeRow, "id" | "circleId" | "providerMemberId" | "receiverMemberId">,
): Promise<{ provider: PartyAccount; receiver: PartyAccount }> {
  const accounts = await sqlRows<PartyAccount>(tx, confirmExchangeSql.lockPartyAccounts, [
    exchange.circleId,
    [exchange.providerMemberId, exchange.receiverMemberId],
  ]);
  const provider = accounts.find((a) => a.memberId === exchange.providerMemberId);
  const receiver = accounts.find((a) => a.memberId === exchange.receiverMemberId);
  if (!provider || !receiver)
    throw new Error(`Exchange ${exchange.id} names a member without an account in circle ${exchange.circleId}.`);
  return { provider, receiver };
}

export interface CycleState {
  floorMinutes: number;
  ceilingMinutes: number;
  expiredThrough: string | null;
  providerMinutes: number;
  receiverMinutes: number;
}

/** The circle's limits, the cycle whose expiry began last, and both balances in `cycle`. */
export async function readCycleState(
  tx: Queryable,
  circleId: string,
  accounts: { provider: PartyAccount; receiver: PartyAccount },
  cycle: string,
): Promise<CycleState> {
  const state = await sqlRow<CycleState>(tx, confirmExchangeSql.cycleState, [
    circleId,
    accounts.provider.id,
    accounts.receiver.id,
    cycle,
  ]);
  if (!state) throw new Error(`Circle ${circleId} has accounts but no settings.`);
  return state;
}

export interface ConfirmationPosting {
  exchange: Pick<ExchangeRow, "id" | "circleId" | "providerMemberId" | "receiverMemberId" | "minutes">;
  transfer: PlannedTransfer;
  cycle: string;
  confirmedAt: Date;
}

/**
 * Writes a confirmation the domain allowed: its transfer (entries and cycle balances), the exchange
 * marked CONFIRMED, the assertion that both balances equal their entries, and exchange.confirmed
 * for other services, all in the caller's transaction.
 */
export async function postConfirmation(tx: Queryable, posting: ConfirmationPosting): Promise<ExchangeRow> {
  const { exchange, cycle, confirmedAt } = posting;
  const posted = await postTransfers(tx, exchange.circleId, [posting.transfer], confirmedAt);
  if (posted.length !== 1) throw new Error(`Exchange ${exchange.id} already has a transfer although it was pending.`);
  const confirmed = await markDecided(tx, exchange.id, "CONFIRMED", confirmedAt);
  await assertCycleBalancesMatchEntries(tx, touchedAccountCycles(posted));
  await emitEvent(
    tx,
    "exchange.confirmed",
    {
      circleId: exchange.circleId,
      exchangeId: exchange.id,
      cycle,
      minutes: exchange.minutes,
      memberIds: [exchange.providerMemberId, exchange.receiverMemberId],
    },
    confirmedAt,
  );
  return confirmed;
}
