import { changedCount, sqlRow, type Queryable } from "@rhizome/kit";
import type { Bloc } from "../domain/bloc.js";

/**
 * SQL for the bloc of member row `m` in force at the instant `$at` (a parameter of the query using it):
 * the latest change in force by then, else the bloc the member declared when joining.
 */
export const blocInForceSql = (at: string) =>
  `COALESCE((SELECT c.bloc FROM bloc_changes c WHERE c.member_id = m.id AND c.effective_at <= ${at} ORDER BY c.effective_at DESC LIMIT 1), m.bloc)`;

/** The bloc of a present member of the circle in force at `at`, or undefined for anyone else. */
export async function blocInForce(
  db: Queryable,
  circleId: string,
  memberId: string,
  at: Date,
): Promise<Bloc | undefined> {
  const row = await sqlRow<{ bloc: Bloc | null }>(
    db,
    `SELECT ${blocInForceSql("$3")} AS bloc FROM members m WHERE m.id = $1 AND m.circle_id = $2 AND m.left_at IS NULL`,
    [memberId, circleId, at],
  );
  return row?.bloc ?? undefined;
}

export interface MyBloc {
  bloc: Bloc;
  /** The bloc the member asked for, when it differs from the one in force. */
  pendingBloc: Bloc | null;
  /** When the pending bloc takes effect. */
  changesAt: Date | null;
}

/** The member's bloc now and any change waiting for the new moon. */
export async function myBloc(db: Queryable, memberId: string, now: Date): Promise<MyBloc | undefined> {
  const row = await sqlRow<{ bloc: Bloc | null; pendingBloc: Bloc | null; changesAt: Date | null }>(
    db,
    `SELECT ${blocInForceSql("$2")} AS bloc, p.bloc AS pending_bloc, p.effective_at AS changes_at
     FROM members m LEFT JOIN bloc_changes p ON p.member_id = m.id AND p.effective_at > $2
     WHERE m.id = $1 AND m.left_at IS NULL`,
    [memberId, now],
  );
  if (!row?.bloc) return undefined;
  return { bloc: row.bloc, pendingBloc: row.pendingBloc, changesAt: row.changesAt };
}

/** Removes the member's change waiting for a new moon after `now`; how many were removed (0 or 1). */
export function cancelPendingBlocChange(tx: Queryable, memberId: string, now: Date): Promise<number> {
  return changedCount(tx, `DELETE FROM bloc_changes WHERE member_id = $1 AND effective_at > $2`, [memberId, now]);
}

export async function insertBlocChange(
  tx: Queryable,
  change: { circleId: string; memberId: string; bloc: Bloc; effectiveAt: Date },
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO bloc_changes (circle_id, member_id, bloc, effective_at, requested_at) VALUES ($1, $2, $3, $4, $5)`,
    [change.circleId, change.memberId, change.bloc, change.effectiveAt, now],
  );
}

/** Every change of bloc the member made, erased with their declared bloc when they leave. */
export async function eraseBlocChanges(tx: Queryable, memberId: string): Promise<void> {
  await tx.query(`DELETE FROM bloc_changes WHERE member_id = $1`, [memberId]);
}
