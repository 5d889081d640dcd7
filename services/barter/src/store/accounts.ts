import { registerKnownCircle, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";
import { memberLeftTransfer } from "../domain/ledger.js";
import { holdCycleBarrierShared } from "./cycle-barrier.js";
import { tellRequestsClosed } from "./request-events.js";
import {
  assertCycleBalancesMatchEntries,
  postTransfers,
  touchedAccountCycles,
  type PlannedTransfer,
} from "./transfers.js";

export type AccountKind = "MEMBER" | "COMMONS" | "CLEARING";

/** A member's (or the circle commons') time-credit account. Its balances are kept per cycle (account_cycles). */
export interface AccountRow {
  id: string;
  circleId: string;
  kind: AccountKind;
  memberId: string | null;
  openedAt: Date;
  /** Set when the member left the circle: their balance went to the commons and they can no longer act. */
  closedAt: Date | null;
}

export interface MemberAccount {
  id: string;
  circleId: string;
  memberId: string;
  closedAt: Date | null;
}

/**
 * Opens a member's account, and on the circle's first sight its settings and commons account.
 * Idempotent: called for every `member.joined` event and whenever a member acts, since a token
 * proves membership even before the event arrives. A closed account stays closed.
 */
export async function openMemberAccount(tx: Queryable, circleId: string, memberId: string, now: Date): Promise<void> {
  const existing = await sqlRow<{ circleId: string }>(tx, `SELECT circle_id FROM accounts WHERE member_id = $1`, [
    memberId,
  ]);
  if (!existing) {
    // known_circles first, as the event consumer does before any handler: a member's first request
    // racing network's member.joined then waits for it instead of deadlocking with it.
    await registerKnownCircle(tx, circleId, now);
    await tx.query(
      `INSERT INTO circle_settings (circle_id, floor_minutes, ceiling_minutes, first_seen_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [circleId, DEFAULT_BALANCE_LIMITS.floorMinutes, DEFAULT_BALANCE_LIMITS.ceilingMinutes, now],
    );
    await tx.query(
      `INSERT INTO accounts (circle_id, kind, opened_at) VALUES ($1, 'COMMONS', $2) ON CONFLICT DO NOTHING`,
      [circleId, now],
    );
    await tx.query(
      `INSERT INTO accounts (circle_id, kind, member_id, opened_at) VALUES ($1, 'MEMBER', $2, $3) ON CONFLICT DO NOTHING`,
      [circleId, memberId, now],
    );
    return;
  }
  if (existing.circleId !== circleId) {
    // Member ids are per circle in network, so this means corrupt input, not a user mistake.
    throw new Error(`Member ${memberId} already has an account in circle ${existing.circleId}, not ${circleId}.`);
  }
}

const MEMBER_ACCOUNT_COLUMNS = `id, circle_id, member_id, closed_at`;

export function findMemberAccount(
  db: Queryable,
  circleId: string,
  memberId: string,
): Promise<MemberAccount | undefined> {
  return sqlRow<MemberAccount>(
    db,
    `SELECT ${MEMBER_ACCOUNT_COLUMNS} FROM accounts WHERE circle_id = $1 AND member_id = $2`,
    [circleId, memberId],
  );
}

/**
 * The account of a member who is acting (publishing, proposing, confirming), opened if barter has
 * not heard of them yet and locked for the rest of the transaction: `update` when the caller counts
 * or moves something that must not change underneath (the open-listing cap), `share` to keep the
 * member from leaving meanwhile. `closedAt` tells whether they left.
 */
export async function lockActingAccount(
  tx: Queryable,
  circleId: string,
  memberId: string,
  now: Date,
  mode: "update" | "share",
): Promise<MemberAccount> {
  await openMemberAccount(tx, circleId, memberId, now);
  const rows = await sqlRows<MemberAccount>(
    tx,
    `SELECT ${MEMBER_ACCOUNT_COLUMNS} FROM accounts WHERE circle_id = $1 AND member_id = $2 FOR ${mode === "update" ? "UPDATE" : "SHARE"}`,
    [circleId, memberId],
  );
  if (rows.length !== 1)
    throw new Error(`Member ${memberId} has no account in circle ${circleId} right after opening it.`);
  return rows[0];
}

/** Member accounts by member id, in one query (the per-request `accounts` loader). */
export function accountsOfMembers(db: Queryable, memberIds: readonly string[]): Promise<AccountRow[]> {
  return sqlRows<AccountRow>(
    db,
    `SELECT id, circle_id, kind, member_id, opened_at, closed_at FROM accounts WHERE member_id = ANY($1::uuid[])`,
    [memberIds],
  );
}

export interface AccountClosure {
  /** True when an earlier call had already closed the account; nothing was written. */
  wasAlreadyClosed: boolean;
  /** What went to the commons: positive when the member held credits, negative when debts were forgiven. */
  returnedToCommonsMinutes: number;
  exchangesCancelled: number;
  listingsWithdrawn: number;
}

/**
 * A member left the circle (network's `member.left`): what they hold in every cycle whose expiry
 * has not begun (normally just the current one) returns to the commons as MEMBER_LEFT transfers
 * counted in those cycles, their pending exchanges are cancelled, their open listings withdrawn,
 * and their account closed so they can no longer act. A cycle already expiring is left to its
 * expiry. Idempotent: a second call finds the account closed and writes nothing. A member barter
 * never heard of gets an account opened closed, so a late `member.joined` cannot bring them back.
 *
 * Holds the cycle barrier, then locks pending exchanges before the account, as a confirmation does.
 */
export async function closeMemberAccount(
  manager: Queryable,
  circleId: string,
  memberId: string,
  now: Date,
): Promise<AccountClosure> {
  await holdCycleBarrierShared(manager, circleId);
  const pendingOf = `SELECT id FROM exchanges WHERE circle_id = $1 AND status = 'PENDING' AND $2 IN (provider_member_id, receiver_member_id)`;
  await manager.query(`${pendingOf} ORDER BY id FOR UPDATE`, [circleId, memberId]);
  await openMemberAccount(manager, circleId, memberId, now);
  const account = await sqlRow<{ id: string; closedAt: Date | null }>(
    manager,
    `SELECT id, closed_at FROM accounts WHERE circle_id = $1 AND member_id = $2 FOR UPDATE`,
    [circleId, memberId],
  );
  if (!account) throw new Error(`Member ${memberId} has no account in circle ${circleId} right after opening it.`);
  if (account.closedAt !== null)
    return { wasAlreadyClosed: true, returnedToCommonsMinutes: 0, exchangesCancelled: 0, listingsWithdrawn: 0 };

  const commons = await sqlRow<{ id: string }>(
    manager,
    `SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'COMMONS'`,
    [circleId],
  );
  if (!commons)
    throw new Error(`Circle ${circleId} has no commons account although member ${memberId} has an account in it.`);
  const held = await sqlRows<{ cycle: string; balanceMinutes: number }>(
    manager,
    `SELECT c.cycle, c.balance_minutes FROM account_cycles c JOIN circle_settings s ON s.circle_id = $2
     WHERE c.account_id = $1 AND (s.expired_through IS NULL OR c.cycle > s.expired_through) AND c.balance_minutes <> 0`,
    [account.id, circleId],
  );
  const transfers: PlannedTransfer[] = held.flatMap((row) => {
    const transfer = memberLeftTransfer(account.id, commons.id, row.balanceMinutes);
    return transfer ? [{ ...transfer, cycle: row.cycle, expiredAccountId: account.id }] : [];
  });
  const posted = await postTransfers(manager, circleId, transfers, now);
  if (posted.length !== transfers.length)
    throw new Error(`Member ${memberId}'s account already has a closing transfer; their balance was not returned.`);
  await assertCycleBalancesMatchEntries(manager, touchedAccountCycles(posted));
  // A statement of its own, after the account lock: it also sees a proposal committed while this waited.
  const cancelled = await sqlRows<{ id: string }>(
    manager,
    `UPDATE exchanges SET status = 'CANCELLED', decided_at = $3 WHERE id IN (${pendingOf}) RETURNING id`,
    [circleId, memberId, now],
  );
  const withdrawn = await sqlRows<{ id: string; circleId: string; kind: string }>(
    manager,
    `UPDATE listings SET withdrawn_at = $3 WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL RETURNING id, circle_id, kind`,
    [circleId, memberId, now],
  );
  await tellRequestsClosed(manager, withdrawn, now);
  await manager.query(`UPDATE accounts SET closed_at = $2 WHERE id = $1`, [account.id, now]);
  const returnedToCommonsMinutes = held.reduce((total, row) => total + row.balanceMinutes, 0);
  return {
    wasAlreadyClosed: false,
    returnedToCommonsMinutes,
    exchangesCancelled: cancelled.length,
    listingsWithdrawn: withdrawn.length,
  };
}

/** What a member's balance shows: their balance in one cycle and their circle's limits, as stored. */
export interface MemberBalanceRow {
  memberId: string;
  cycle: string;
  circleId: string;
  /** Null when they moved nothing in the cycle (or have no account yet). */
  balanceMinutes: number | null;
  /** Null when the circle has no settings row yet. */
  floorMinutes: number | null;
  ceilingMinutes: number | null;
}

/**
 * Each member's balance in one cycle with the limits of the circle named beside it, for many
 * members in one statement: one row per key, whatever is missing null.
 */
export function balancesOfMembers(
  db: Queryable,
  keys: ReadonlyArray<{ memberId: string; cycle: string; circleId: string }>,
): Promise<MemberBalanceRow[]> {
  return sqlRows<MemberBalanceRow>(
    db,
    `SELECT w.member_id, w.cycle, w.circle_id, c.balance_minutes, s.floor_minutes, s.ceiling_minutes
     FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS w(member_id, cycle, circle_id)
     LEFT JOIN accounts a ON a.member_id = w.member_id
     LEFT JOIN account_cycles c ON c.account_id = a.id AND c.cycle = w.cycle
     LEFT JOIN circle_settings s ON s.circle_id = w.circle_id`,
    [keys.map((k) => k.memberId), keys.map((k) => k.cycle), keys.map((k) => k.circleId)],
  );
}
