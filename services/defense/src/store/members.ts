import { registerKnownCircle, type Queryable } from "@rhizome/kit";

/**
 * Records a member defense has heard of: from network's `member.joined`, or from their own request
 * (a token proves membership before the event arrives). A broadcast reaches these members.
 */
export async function rememberMember(db: Queryable, circleId: string, memberId: string, now: Date): Promise<void> {
  await registerKnownCircle(db, circleId, now);
  await db.query(
    `INSERT INTO circle_members (member_id, circle_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT (member_id) DO NOTHING`,
    [memberId, circleId, now],
  );
}

/** A member left: they receive no broadcast, are called no more, and their responder place ends. */
export async function forgetMember(db: Queryable, circleId: string, memberId: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO circle_members (member_id, circle_id, joined_at, left_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (member_id) DO UPDATE SET left_at = COALESCE(circle_members.left_at, EXCLUDED.left_at)`,
    [memberId, circleId, now],
  );
  await db.query(`UPDATE responders SET left_at = $2 WHERE member_id = $1 AND left_at IS NULL`, [memberId, now]);
}
