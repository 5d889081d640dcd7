import { sqlRow, sqlRows, type MemberBloc, type Queryable } from "@rhizome/kit";

/** A member's change of bloc as network scheduled it: from one bloc to the other, at a new moon. */
export interface ScheduledBlocChange {
  circleId: string;
  memberId: string;
  fromBloc: MemberBloc;
  toBloc: MemberBloc;
  effectiveAt: Date;
}

/** Records (or replaces) the member's change waiting for the new moon; a change back to the same bloc forgets it. */
export async function recordBlocChange(db: Queryable, change: ScheduledBlocChange): Promise<void> {
  if (change.fromBloc === change.toBloc) {
    await db.query(`DELETE FROM bloc_changes WHERE circle_id = $1 AND member_id = $2`, [
      change.circleId,
      change.memberId,
    ]);
    return;
  }
  await db.query(
    `INSERT INTO bloc_changes (circle_id, member_id, from_bloc, to_bloc, effective_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id, member_id) DO UPDATE SET from_bloc = EXCLUDED.from_bloc, to_bloc = EXCLUDED.to_bloc, effective_at = EXCLUDED.effective_at`,
    [change.circleId, change.memberId, change.fromBloc, change.toBloc, change.effectiveAt],
  );
}

/** The bloc the member is counted under while a change of theirs waits for the new moon's job, else undefined. */
export async function countedBlocWhileChanging(
  db: Queryable,
  circleId: string,
  memberId: string,
): Promise<MemberBloc | undefined> {
  const row = await sqlRow<{ fromBloc: MemberBloc }>(
    db,
    `SELECT from_bloc FROM bloc_changes WHERE circle_id = $1 AND member_id = $2`,
    [circleId, memberId],
  );
  return row?.fromBloc;
}

export async function forgetBlocChange(db: Queryable, circleId: string, memberId: string): Promise<void> {
  await db.query(`DELETE FROM bloc_changes WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
}

/** Changes applied in one transaction at most. */
export const BLOC_CHANGE_BATCH_SIZE = 200;

/** A row of `bloc_changes`, without its circle and instant. */
export interface BlocChangeRow {
  memberId: string;
  fromBloc: MemberBloc;
  toBloc: MemberBloc;
}

/** Locks the circle's changes in force by `now` (at most `limit`, skipping any another run holds). */
export async function lockDueBlocChanges(
  tx: Queryable,
  circleId: string,
  now: Date,
  limit: number,
): Promise<BlocChangeRow[]> {
  return sqlRows<BlocChangeRow>(
    tx,
    `SELECT member_id, from_bloc, to_bloc FROM bloc_changes WHERE circle_id = $1 AND effective_at <= $2 ORDER BY member_id LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [circleId, now, limit],
  );
}

/**
 * Applies one member's change: each of their seats changes kind (in the seat history, one seat left
 * and one taken at `now`, so the next composition count sees a change like any other), and each
 * power-map relation they declared moves from one bloc's count to the other's (counted as one
 * withdrawal and one declaration).
 */
export async function applyBlocChange(
  tx: Queryable,
  circleId: string,
  change: BlocChangeRow,
  now: Date,
): Promise<void> {
  const seats = await sqlRows<{ bodyId: string }>(
    tx,
    `UPDATE seats SET kind = $4 WHERE circle_id = $1 AND member_id = $2 AND kind = $3 RETURNING body_id`,
    [circleId, change.memberId, change.fromBloc, change.toBloc],
  );
  const bodyIds = seats.map((s) => s.bodyId);
  await tx.query(
    `UPDATE seat_history SET left_at = GREATEST(taken_at, $3) WHERE member_id = $1 AND body_id = ANY($2::uuid[]) AND left_at IS NULL`,
    [change.memberId, bodyIds, now],
  );
  await tx.query(
    `INSERT INTO seat_history (body_id, circle_id, member_id, kind, taken_at) SELECT unnest($1::uuid[]), $2, $3, $4, $5`,
    [bodyIds, circleId, change.memberId, change.toBloc, now],
  );
  await tx.query(
    `UPDATE power_relation_counts c SET members = c.members - 1 FROM power_relations r
     WHERE r.member_id = $1 AND r.node_id = c.node_id AND c.bloc = $2 AND c.members > 0`,
    [change.memberId, change.fromBloc],
  );
  await tx.query(
    `INSERT INTO power_relation_counts (node_id, circle_id, bloc, members) SELECT r.node_id, r.circle_id, $2, 1 FROM power_relations r WHERE r.member_id = $1
     ON CONFLICT (node_id, bloc) DO UPDATE SET members = power_relation_counts.members + 1`,
    [change.memberId, change.toBloc],
  );
  await tx.query(
    `UPDATE power_nodes n SET declarations = n.declarations + 1, withdrawals = n.withdrawals + 1 FROM power_relations r WHERE r.member_id = $1 AND r.node_id = n.id`,
    [change.memberId],
  );
}

/** Forgets these members' applied changes. */
export async function forgetBlocChanges(tx: Queryable, circleId: string, memberIds: readonly string[]): Promise<void> {
  if (memberIds.length === 0) return;
  await tx.query(`DELETE FROM bloc_changes WHERE circle_id = $1 AND member_id = ANY($2::uuid[])`, [
    circleId,
    memberIds,
  ]);
}
