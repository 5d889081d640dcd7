import type { DataSource, EntityManager } from "typeorm";
import { In } from "typeorm";
import { forbidden, registerKnownCircle } from "@rhizome/kit";
import { DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";
import { memberLeftTransfer } from "../domain/ledger.js";
import { AccountRow } from "../entities/account.js";
import { holdCycleBarrierShared } from "./cycle-barrier.js";
import { tellRequestsClosed } from "./request-events.js";
import {
  assertCycleBalancesMatchEntries,
  postTransfers,
  touchedAccountCycles,
  type PlannedTransfer,
} from "./transfers.js";

export interface MemberAccount {
  id: string;
  circleId: string;
  memberId: string;
  isClosed: boolean;
}

export const LEFT_THE_CIRCLE = "You have left this circle, so you can no longer barter in it.";

/**
 * Opens a member's account, and on the circle's first sight its settings and commons account.
 * Idempotent: called for every `member.joined` event and whenever a member acts, since a token
 * proves membership even before the event arrives. A closed account stays closed.
 */
export async function openMemberAccount(
  manager: EntityManager,
  circleId: string,
  memberId: string,
  now: Date,
): Promise<void> {
  const existing: Array<{ circle_id: string }> = await manager.query(
    `SELECT circle_id FROM accounts WHERE member_id = $1`,
    [memberId],
  );
  if (existing.length === 0) {
    // known_circles first, as the event consumer does before any handler: a member's first request
    // racing network's member.joined then waits for it instead of deadlocking with it.
    await registerKnownCircle(manager, circleId, now);
    await manager.query(
      `INSERT INTO circle_settings (circle_id, floor_minutes, ceiling_minutes, first_seen_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [circleId, DEFAULT_BALANCE_LIMITS.floorMinutes, DEFAULT_BALANCE_LIMITS.ceilingMinutes, now],
    );
    await manager.query(
      `INSERT INTO accounts (circle_id, kind, opened_at) VALUES ($1, 'COMMONS', $2) ON CONFLICT DO NOTHING`,
      [circleId, now],
    );
    await manager.query(
      `INSERT INTO accounts (circle_id, kind, member_id, opened_at) VALUES ($1, 'MEMBER', $2, $3) ON CONFLICT DO NOTHING`,
      [circleId, memberId, now],
    );
    return;
  }
  if (existing[0].circle_id !== circleId) {
    // Member ids are per circle in network, so this means corrupt input, not a user mistake.
    throw new Error(`Member ${memberId} already has an account in circle ${existing[0].circle_id}, not ${circleId}.`);
  }
}

function toMemberAccount(row: {
  id: string;
  circle_id: string;
  member_id: string;
  closed_at: Date | null;
}): MemberAccount {
  return { id: row.id, circleId: row.circle_id, memberId: row.member_id, isClosed: row.closed_at !== null };
}

const MEMBER_ACCOUNT_COLUMNS = `id, circle_id, member_id, closed_at`;

export async function findMemberAccount(
  manager: EntityManager,
  circleId: string,
  memberId: string,
): Promise<MemberAccount | undefined> {
  const rows = await manager.query(
    `SELECT ${MEMBER_ACCOUNT_COLUMNS} FROM accounts WHERE circle_id = $1 AND member_id = $2`,
    [circleId, memberId],
  );
  return rows[0] && toMemberAccount(rows[0]);
}

/**
 * The account of a member who is acting (publishing, proposing, confirming), opened if barter has
 * not heard of them yet and locked for the rest of the transaction: `update` when the caller counts
 * or moves something that must not change underneath (the open-listing cap), `share` to keep the
 * member from leaving meanwhile. A member who left is refused.
 */
export async function lockActingAccount(
  manager: EntityManager,
  circleId: string,
  memberId: string,
  now: Date,
  mode: "update" | "share",
): Promise<MemberAccount> {
  await openMemberAccount(manager, circleId, memberId, now);
  const rows = await manager.query(
    `SELECT ${MEMBER_ACCOUNT_COLUMNS} FROM accounts WHERE circle_id = $1 AND member_id = $2 FOR ${mode === "update" ? "UPDATE" : "SHARE"}`,
    [circleId, memberId],
  );
  if (rows.length !== 1)
    throw new Error(`Member ${memberId} has no account in circle ${circleId} right after opening it.`);
  const account = toMemberAccount(rows[0]);
  if (account.isClosed) throw forbidden(LEFT_THE_CIRCLE);
  return account;
}

/** Member accounts by member id, in one query (the per-request `accounts` loader). */
export function accountsOfMembers(db: DataSource | EntityManager, memberIds: readonly string[]): Promise<AccountRow[]> {
  return db.getRepository(AccountRow).findBy({ memberId: In([...memberIds]) });
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
  manager: EntityManager,
  circleId: string,
  memberId: string,
  now: Date,
): Promise<AccountClosure> {
  await holdCycleBarrierShared(manager, circleId);
  const pendingOf = `SELECT id FROM exchanges WHERE circle_id = $1 AND status = 'PENDING' AND $2 IN (provider_member_id, receiver_member_id)`;
  await manager.query(`${pendingOf} ORDER BY id FOR UPDATE`, [circleId, memberId]);
  await openMemberAccount(manager, circleId, memberId, now);
  const [account]: Array<{ id: string; closed_at: Date | null }> = await manager.query(
    `SELECT id, closed_at FROM accounts WHERE circle_id = $1 AND member_id = $2 FOR UPDATE`,
    [circleId, memberId],
  );
  if (account.closed_at !== null)
    return { wasAlreadyClosed: true, returnedToCommonsMinutes: 0, exchangesCancelled: 0, listingsWithdrawn: 0 };

  const [commons]: Array<{ id: string }> = await manager.query(
    `SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'COMMONS'`,
    [circleId],
  );
  if (!commons)
    throw new Error(`Circle ${circleId} has no commons account although member ${memberId} has an account in it.`);
  const held: Array<{ cycle: string; balance_minutes: number }> = await manager.query(
    `SELECT c.cycle, c.balance_minutes FROM account_cycles c JOIN circle_settings s ON s.circle_id = $2
     WHERE c.account_id = $1 AND (s.expired_through IS NULL OR c.cycle > s.expired_through) AND c.balance_minutes <> 0`,
    [account.id, circleId],
  );
  const transfers: PlannedTransfer[] = held.flatMap((row) => {
    const transfer = memberLeftTransfer(account.id, commons.id, row.balance_minutes);
    return transfer ? [{ ...transfer, cycle: row.cycle, expiredAccountId: account.id }] : [];
  });
  const posted = await postTransfers(manager, circleId, transfers, now);
  if (posted.length !== transfers.length)
    throw new Error(`Member ${memberId}'s account already has a closing transfer; their balance was not returned.`);
  await assertCycleBalancesMatchEntries(manager, touchedAccountCycles(posted));
  // A statement of its own, after the account lock: it also sees a proposal committed while this waited.
  const [cancelled]: [Array<{ id: string }>, number] = await manager.query(
    `UPDATE exchanges SET status = 'CANCELLED', decided_at = $3 WHERE id IN (${pendingOf}) RETURNING id`,
    [circleId, memberId, now],
  );
  const [withdrawn]: [Array<{ id: string; circle_id: string; kind: string }>, number] = await manager.query(
    `UPDATE listings SET withdrawn_at = $3 WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL RETURNING id, circle_id, kind`,
    [circleId, memberId, now],
  );
  await tellRequestsClosed(manager, withdrawn, now);
  await manager.query(`UPDATE accounts SET closed_at = $2 WHERE id = $1`, [account.id, now]);
  const returnedToCommonsMinutes = held.reduce((total, row) => total + row.balance_minutes, 0);
  return {
    wasAlreadyClosed: false,
    returnedToCommonsMinutes,
    exchangesCancelled: cancelled.length,
    listingsWithdrawn: withdrawn.length,
  };
}

/** Each member's balance in one cycle (zero when they moved nothing in it), for many members in one query. */
export async function cycleBalancesOfMembers(
  db: Pick<EntityManager, "query">,
  keys: ReadonlyArray<{ memberId: string; cycle: string }>,
): Promise<Array<{ memberId: string; cycle: string; balanceMinutes: number }>> {
  const rows: Array<{ member_id: string; cycle: string; balance_minutes: number }> = await db.query(
    `SELECT a.member_id, c.cycle, c.balance_minutes
     FROM unnest($1::uuid[], $2::text[]) AS w(member_id, cycle)
     JOIN accounts a ON a.member_id = w.member_id
     JOIN account_cycles c ON c.account_id = a.id AND c.cycle = w.cycle`,
    [keys.map((k) => k.memberId), keys.map((k) => k.cycle)],
  );
  return rows.map((row) => ({ memberId: row.member_id, cycle: row.cycle, balanceMinutes: row.balance_minutes }));
}
