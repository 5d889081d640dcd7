import { sqlRows, type Queryable } from "@rhizome/kit";

/** Records when a circle was founded (from network's circle.founded), for the constitution's first six months. */
export async function recordCircleFounded(tx: Queryable, circleId: string, foundedAt: Date): Promise<void> {
  await tx.query(`INSERT INTO circles (circle_id, founded_at) VALUES ($1, $2) ON CONFLICT (circle_id) DO NOTHING`, [
    circleId,
    foundedAt,
  ]);
}

/** When each of these circles was founded, for those governance knows. */
export async function foundingDatesOf(db: Queryable, circleIds: readonly string[]): Promise<Map<string, Date>> {
  if (circleIds.length === 0) return new Map();
  const rows = await sqlRows<{ circleId: string; foundedAt: Date }>(
    db,
    `SELECT circle_id, founded_at FROM circles WHERE circle_id = ANY($1::uuid[])`,
    [circleIds],
  );
  return new Map(rows.map((r) => [r.circleId, r.foundedAt]));
}

/** A member who left holds no seat and no role any more, and any change of bloc they asked for is forgotten. */
export async function vacateEverythingOf(
  tx: Queryable,
  circleId: string,
  memberId: string,
  leftAt: Date,
): Promise<void> {
  await tx.query(`DELETE FROM seats WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
  await tx.query(
    `UPDATE seat_history SET left_at = GREATEST(taken_at, $3) WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [circleId, memberId, leftAt],
  );
  await tx.query(`DELETE FROM bloc_changes WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
  await tx.query(`DELETE FROM role_holders WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
}
