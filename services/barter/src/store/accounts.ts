import type { EntityManager } from "typeorm";
import { DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";

export interface MemberAccount {
  id: string;
  circleId: string;
  memberId: string;
  balanceMinutes: number;
}

/**
 * Opens a member's account, and on the circle's first sight its settings and commons account.
 * Idempotent: called for every `member.joined` event and whenever a member acts, since a token
 * proves membership even before the event arrives.
 */
export async function openMemberAccount(manager: EntityManager, circleId: string, memberId: string, now: Date): Promise<void> {
  const existing: Array<{ circle_id: string }> = await manager.query(`SELECT circle_id FROM accounts WHERE member_id = $1`, [memberId]);
  if (existing.length === 0) {
    await manager.query(
      `INSERT INTO circle_settings (circle_id, floor_minutes, ceiling_minutes, first_seen_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [circleId, DEFAULT_BALANCE_LIMITS.floorMinutes, DEFAULT_BALANCE_LIMITS.ceilingMinutes, now],
    );
    await manager.query(`INSERT INTO accounts (circle_id, kind, opened_at) VALUES ($1, 'COMMONS', $2) ON CONFLICT DO NOTHING`, [circleId, now]);
    await manager.query(`INSERT INTO accounts (circle_id, kind, member_id, opened_at) VALUES ($1, 'MEMBER', $2, $3) ON CONFLICT DO NOTHING`, [circleId, memberId, now]);
    return;
  }
  if (existing[0].circle_id !== circleId) {
    // Member ids are per circle in network, so this means corrupt input, not a user mistake.
    throw new Error(`Member ${memberId} already has an account in circle ${existing[0].circle_id}, not ${circleId}.`);
  }
}

export async function findMemberAccount(manager: EntityManager, circleId: string, memberId: string): Promise<MemberAccount | undefined> {
  const rows: Array<{ id: string; balance_minutes: number }> = await manager.query(
    `SELECT id, balance_minutes FROM accounts WHERE circle_id = $1 AND member_id = $2`,
    [circleId, memberId],
  );
  return rows[0] && { id: rows[0].id, circleId, memberId, balanceMinutes: rows[0].balance_minutes };
}
