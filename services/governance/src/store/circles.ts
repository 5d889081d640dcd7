import type { Queryable } from "./queryable.js";

/** Records when a circle was founded (from network's circle.founded), for the constitution's first six months. */
export async function recordCircleFounded(db: Queryable, circleId: string, foundedAt: Date): Promise<void> {
  await db.query(`INSERT INTO circles (circle_id, founded_at) VALUES ($1, $2) ON CONFLICT (circle_id) DO NOTHING`, [
    circleId,
    foundedAt,
  ]);
}

export async function circleFoundedAt(db: Queryable, circleId: string): Promise<Date | undefined> {
  const rows: Array<{ founded_at: Date }> = await db.query(`SELECT founded_at FROM circles WHERE circle_id = $1`, [
    circleId,
  ]);
  return rows[0]?.founded_at;
}

/** A member who left holds no seat and no role any more, and any change of bloc they asked for is forgotten. */
export async function vacateEverythingOf(
  db: Queryable,
  circleId: string,
  memberId: string,
  leftAt: Date,
): Promise<void> {
  await db.query(`DELETE FROM seats WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
  await db.query(
    `UPDATE seat_history SET left_at = GREATEST(taken_at, $3) WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [circleId, memberId, leftAt],
  );
  await db.query(`DELETE FROM bloc_changes WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
  await db.query(`DELETE FROM role_holders WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
}
