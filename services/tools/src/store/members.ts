import { registerKnownCircle, type Queryable } from "@rhizome/kit";
import { exists } from "./queries.js";

/**
 * Records a member tools has seen act (their token proved the membership), and their circle. A
 * member who left stays left: network's member.left is the only way out, and its rejoin a new id.
 */
export async function rememberMember(tx: Queryable, circleId: string, memberId: string, now: Date): Promise<void> {
  // known_circles first, as the event consumer does before any handler, so a member's first request
  // racing network's member.joined waits for it instead of deadlocking with it.
  await registerKnownCircle(tx, circleId, now);
  await memberJoined(tx, circleId, memberId, now);
}

export async function isCurrentMember(db: Queryable, circleId: string, memberId: string): Promise<boolean> {
  return exists(db, `SELECT FROM members WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`, [
    circleId,
    memberId,
  ]);
}

/** network said the member joined (or tools saw them act first). */
export async function memberJoined(tx: Queryable, circleId: string, memberId: string, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO members (circle_id, member_id, first_seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [circleId, memberId, at],
  );
}

/** network said the member left: the first time it says so counts. */
export async function recordMemberLeft(tx: Queryable, circleId: string, memberId: string, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO members (circle_id, member_id, first_seen_at, left_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (circle_id, member_id) DO UPDATE SET left_at = COALESCE(members.left_at, EXCLUDED.left_at)`,
    [circleId, memberId, at],
  );
}
