import type { EntityManager } from "typeorm";
import { badInput, conflict, cycleContaining, emitEvent, forbidden, notFound } from "@rhizome/kit";
import { exchangeLimitProblem, type Audience } from "../domain/balance-limits.js";
import { exchangeActionProblem, type ExchangeStatus } from "../domain/exchanges.js";
import { exchangeTransfer } from "../domain/ledger.js";
import type { ExchangeRow } from "../entities/exchange.js";
import { LEFT_THE_CIRCLE } from "./accounts.js";
import { SHARED_BARRIER_SQL } from "./cycle-barrier.js";
import {
  assertCycleBalancesMatchEntries,
  ledgerSql,
  postTransfers,
  touchedAccountCycles,
  type Queryable,
} from "./transfers.js";

export const EXCHANGE_COLUMNS = `id, circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, idempotency_key, proposed_at, proposed_cycle, decided_at`;

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
  lockExchange: `SELECT ${EXCHANGE_COLUMNS} FROM exchanges WHERE id = $1 FOR UPDATE`,
  lockPartyAccounts: `SELECT id, member_id, closed_at FROM accounts
                      WHERE circle_id = $1 AND member_id = ANY($2::uuid[]) AND ${SHARED_BARRIER_SQL} IS NOT NULL
                      ORDER BY id FOR UPDATE`,
  cycleState: `SELECT s.floor_minutes, s.ceiling_minutes, s.expired_through,
                 COALESCE(p.balance_minutes, 0) AS provider_minutes, COALESCE(r.balance_minutes, 0) AS receiver_minutes
               FROM circle_settings s
               LEFT JOIN account_cycles p ON p.account_id = $2 AND p.cycle = $4
               LEFT JOIN account_cycles r ON r.account_id = $3 AND r.cycle = $4
               WHERE s.circle_id = $1`,
  markDecided: `UPDATE exchanges SET status = $2, decided_at = $3 WHERE id = $1 RETURNING ${EXCHANGE_COLUMNS}`,
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

type RawExchange = Record<string, string & number & Date & null>;

export function toExchangeRow(row: RawExchange): ExchangeRow {
  return {
    id: row.id,
    circleId: row.circle_id,
    providerMemberId: row.provider_member_id,
    receiverMemberId: row.receiver_member_id,
    proposerMemberId: row.proposer_member_id,
    minutes: row.minutes,
    skill: row.skill,
    note: row.note,
    status: row.status as ExchangeStatus,
    idempotencyKey: row.idempotency_key,
    proposedAt: row.proposed_at,
    proposedCycle: row.proposed_cycle,
    decidedAt: row.decided_at,
  };
}

export async function lockExchange(manager: Queryable, exchangeId: string): Promise<LockedExchange | undefined> {
  const rows: RawExchange[] = await manager.query(confirmExchangeSql.lockExchange, [exchangeId]);
  return rows[0] && toExchangeRow(rows[0]);
}

/** Marks an exchange decided and returns it as it now is. */
export async function markDecided(
  manager: Queryable,
  exchangeId: string,
  status: ExchangeStatus,
  at: Date,
): Promise<ExchangeRow> {
  const [rows]: [RawExchange[], number] = await manager.query(confirmExchangeSql.markDecided, [exchangeId, status, at]);
  return toExchangeRow(rows[0]);
}

export const OTHER_PARTY_LEFT = "The other party has left this circle, so this exchange can no longer be confirmed.";
export const CYCLE_EXPIRING =
  "This cycle's credits are expiring at the new moon; the proposal lapsed with it. Propose the exchange again.";

/**
 * Confirms an exchange: moves its minutes from receiver to provider in the cycle of the moment it
 * is confirmed, and tells other services (exchange.confirmed) in the same transaction. The exchange
 * row must already be locked by the caller (lockExchange). Both accounts and the cycle barrier are
 * held next, and only then is `clock` read, exactly once: a confirmation that waited on a lock
 * across a new moon is judged, labelled and dated by the same instant, so a proposal whose cycle
 * ended meanwhile is refused as lapsed instead of moving credits into the next cycle.
 */
export async function postConfirmedExchange(
  manager: Pick<EntityManager, "query">,
  exchange: LockedExchange,
  confirmerMemberId: string,
  clock: () => Date,
): Promise<ExchangeRow> {
  const accounts: Array<{ id: string; member_id: string; closed_at: Date | null }> = await manager.query(
    confirmExchangeSql.lockPartyAccounts,
    [exchange.circleId, [exchange.providerMemberId, exchange.receiverMemberId]],
  );
  const provider = accounts.find((a) => a.member_id === exchange.providerMemberId);
  const receiver = accounts.find((a) => a.member_id === exchange.receiverMemberId);
  if (!provider || !receiver)
    throw new Error(`Exchange ${exchange.id} names a member without an account in circle ${exchange.circleId}.`);
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
  if (actionProblem)
    throw actionProblem.code === "FORBIDDEN" ? forbidden(actionProblem.problem) : conflict(actionProblem.problem);

  const [state]: Array<{
    floor_minutes: number;
    ceiling_minutes: number;
    expired_through: string | null;
    provider_minutes: number;
    receiver_minutes: number;
  }> = await manager.query(confirmExchangeSql.cycleState, [exchange.circleId, provider.id, receiver.id, cycle]);
  if (state.expired_through !== null && state.expired_through >= cycle) throw conflict(CYCLE_EXPIRING);
  const audience = (memberId: string): Audience => (memberId === confirmerMemberId ? "owner" : "counterpart");
  const limitProblem = exchangeLimitProblem(
    {
      provider: { balanceMinutes: state.provider_minutes, audience: audience(provider.member_id) },
      receiver: { balanceMinutes: state.receiver_minutes, audience: audience(receiver.member_id) },
      minutes: exchange.minutes,
    },
    { floorMinutes: state.floor_minutes, ceilingMinutes: state.ceiling_minutes },
  );
  if (limitProblem) throw badInput(limitProblem);

  const transfer = { ...exchangeTransfer(provider.id, receiver.id, exchange.minutes), cycle, exchangeId: exchange.id };
  const posted = await postTransfers(manager, exchange.circleId, [transfer], confirmedAt);
  if (posted.length !== 1) throw new Error(`Exchange ${exchange.id} already has a transfer although it was pending.`);
  const confirmed = await markDecided(manager, exchange.id, "CONFIRMED", confirmedAt);
  await assertCycleBalancesMatchEntries(manager, touchedAccountCycles(posted));
  await emitEvent(
    manager,
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
