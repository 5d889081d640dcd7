import { cycleContaining, emitEvent } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import { blocChangeTakesEffectAt, type Bloc } from "../domain/bloc.js";
import type { Queryable } from "./queryable.js";

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
  const rows: Array<{ bloc: Bloc | null }> = await db.query(
    `SELECT ${blocInForceSql("$3")} AS bloc FROM members m WHERE m.id = $1 AND m.circle_id = $2 AND m.left_at IS NULL`,
    [memberId, circleId, at],
  );
  return rows[0]?.bloc ?? undefined;
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
  const rows: Array<{ bloc: Bloc | null; pending_bloc: Bloc | null; changes_at: Date | null }> = await db.query(
    `SELECT ${blocInForceSql("$2")} AS bloc, p.bloc AS pending_bloc, p.effective_at AS changes_at
     FROM members m LEFT JOIN bloc_changes p ON p.member_id = m.id AND p.effective_at > $2
     WHERE m.id = $1 AND m.left_at IS NULL`,
    [memberId, now],
  );
  if (!rows[0]?.bloc) return undefined;
  return { bloc: rows[0].bloc, pendingBloc: rows[0].pending_bloc, changesAt: rows[0].changes_at };
}

/**
 * Asks for the member's bloc to become `bloc` at the next new moon. A change asked for earlier in
 * the same cycle is replaced (asking for the bloc in force cancels it). Services that count blocs
 * hear of it through `member.bloc-change-scheduled`, which never carries the bloc.
 */
export async function scheduleBlocChange(
  db: DataSource,
  member: { circleId: string; memberId: string },
  bloc: Bloc,
  now: Date,
): Promise<MyBloc | undefined> {
  return db.transaction(async (manager) => {
    const locked: unknown[] = await manager.query(
      `SELECT id FROM members WHERE id = $1 AND circle_id = $2 AND left_at IS NULL FOR UPDATE`,
      [member.memberId, member.circleId],
    );
    if (locked.length === 0) return undefined;
    const current = await blocInForce(manager, member.circleId, member.memberId, now);
    const cancelled = (await manager.query(`DELETE FROM bloc_changes WHERE member_id = $1 AND effective_at > $2`, [
      member.memberId,
      now,
    ])) as [unknown[], number];
    const effectiveAt = blocChangeTakesEffectAt(now);
    if (bloc !== current) {
      await manager.query(
        `INSERT INTO bloc_changes (circle_id, member_id, bloc, effective_at, requested_at) VALUES ($1, $2, $3, $4, $5)`,
        [member.circleId, member.memberId, bloc, effectiveAt, now],
      );
    }
    if (bloc !== current || cancelled[1] > 0) {
      await emitEvent(
        manager,
        "member.bloc-change-scheduled",
        { circleId: member.circleId, memberId: member.memberId, cycle: cycleContaining(effectiveAt).label },
        now,
      );
    }
    return myBloc(manager, member.memberId, now);
  });
}
