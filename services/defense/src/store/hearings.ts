import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { isShortOfCompanions, REMINDER_LEAD_MS, SHORTAGE_CHECK_LEAD_MS } from "../domain/accompaniment.js";
import { notify } from "./alerts.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";
import { returnedRow } from "./returned.js";

export interface HearingRow {
  id: string;
  circleId: string;
  /** Who faces the hearing: never shown to anyone else; they decide who reads its notes. */
  scheduledByMemberId: string;
  startsAt: Date;
  geohash: string;
  companionsNeeded: number;
  checkedAt: Date | null;
  isShortOfCompanions: boolean;
}

export interface ShiftRow {
  id: string;
  hearingId: string;
  startsAt: Date;
  endsAt: Date;
  signups: number;
  isSignedUpByMe: boolean;
}

const HEARING_COLUMNS = `id, circle_id, scheduled_by_member_id, starts_at, geohash, companions_needed, checked_at, short_of_companions AS is_short_of_companions`;

export async function scheduleHearing(
  manager: Queryable,
  input: {
    circleId: string;
    memberId: string;
    startsAt: Date;
    geohash: string;
    companionsNeeded: number;
    shifts: Array<{ startsAt: Date; endsAt: Date }>;
  },
  now: Date,
): Promise<{ hearing: HearingRow; shiftIds: string[] }> {
  await rememberMember(manager, input.circleId, input.memberId, now);
  const inserted = await sqlRow<HearingRow>(
    manager,
    `INSERT INTO hearings (id, circle_id, scheduled_by_member_id, starts_at, geohash, companions_needed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${HEARING_COLUMNS}`,
    [randomUUID(), input.circleId, input.memberId, input.startsAt, input.geohash, input.companionsNeeded, now],
  );
  const row = returnedRow(inserted, "INSERT INTO hearings");
  const shiftIds = input.shifts.map(() => randomUUID());
  await manager.query(
    `INSERT INTO hearing_shifts (id, circle_id, hearing_id, starts_at, ends_at) SELECT s.id, $1, $2, s.starts_at, s.ends_at FROM unnest($3::uuid[], $4::timestamptz[], $5::timestamptz[]) AS s(id, starts_at, ends_at)`,
    [input.circleId, row.id, shiftIds, input.shifts.map((s) => s.startsAt), input.shifts.map((s) => s.endsAt)],
  );
  await addHandlers(manager, input.circleId, "HEARING", row.id, [input.memberId], now);
  return { hearing: row, shiftIds };
}

export async function hearingsByIds(db: Queryable, ids: readonly string[]): Promise<HearingRow[]> {
  return sqlRows<HearingRow>(db, `SELECT ${HEARING_COLUMNS} FROM hearings WHERE id = ANY($1::uuid[])`, [ids]);
}

export async function upcomingHearings(
  db: Queryable,
  circleId: string,
  from: Date,
  limit: number,
): Promise<HearingRow[]> {
  return sqlRows<HearingRow>(
    db,
    `SELECT ${HEARING_COLUMNS} FROM hearings WHERE circle_id = $1 AND starts_at >= $2 ORDER BY starts_at, id LIMIT $3`,
    [circleId, from, limit],
  );
}

export async function shiftsOf(db: Queryable, hearingIds: readonly string[], memberId: string): Promise<ShiftRow[]> {
  return sqlRows<ShiftRow>(
    db,
    `SELECT s.id, s.hearing_id, s.starts_at, s.ends_at, count(u.member_id)::int AS signups, COALESCE(bool_or(u.member_id = $2), false) AS is_signed_up_by_me
     FROM hearing_shifts s LEFT JOIN shift_signups u ON u.shift_id = s.id WHERE s.hearing_id = ANY($1::uuid[]) GROUP BY s.id ORDER BY s.starts_at, s.id`,
    [hearingIds, memberId],
  );
}

/** A shift, its circle and hearing, and when it ends. */
export async function shiftById(
  db: Queryable,
  shiftId: string,
): Promise<{ circleId: string; hearingId: string; startsAt: Date; endsAt: Date } | undefined> {
  return sqlRow<{ circleId: string; hearingId: string; startsAt: Date; endsAt: Date }>(
    db,
    `SELECT circle_id, hearing_id, starts_at, ends_at FROM hearing_shifts WHERE id = $1`,
    [shiftId],
  );
}

/** Signs a member up for a shift; twice changes nothing. It gives no access to the case: the person facing the hearing shares its notes. */
export async function addSignup(
  tx: Queryable,
  shift: { id: string; circleId: string },
  memberId: string,
  now: Date,
): Promise<void> {
  await rememberMember(tx, shift.circleId, memberId, now);
  await tx.query(
    `INSERT INTO shift_signups (shift_id, circle_id, member_id, signed_up_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [shift.id, shift.circleId, memberId, now],
  );
}

/** The members signed up for any shift of a hearing, in signing-up order. */
export async function companionsOf(db: Queryable, hearingId: string): Promise<string[]> {
  const rows = await sqlRows<{ memberId: string }>(
    db,
    `SELECT u.member_id FROM shift_signups u JOIN hearing_shifts s ON s.id = u.shift_id WHERE s.hearing_id = $1 GROUP BY u.member_id ORDER BY min(u.signed_up_at), u.member_id`,
    [hearingId],
  );
  return rows.map((r) => r.memberId);
}

/**
 * Checks hearings whose check time has come (48 h before): flags those with a shift short of
 * companions and tells the circle's responders. Marked checked in the same transaction, so a rerun
 * does nothing. Returns the webhook deliveries to send and how many were checked.
 */
export async function checkDueHearings(
  manager: Queryable,
  now: Date,
  limit: number,
  onlyHearingId?: string,
): Promise<{ checked: number; deliveryIds: string[] }> {
  const due = await sqlRows<HearingRow>(
    manager,
    `SELECT ${HEARING_COLUMNS} FROM hearings WHERE checked_at IS NULL AND starts_at <= $1 AND ($3::uuid IS NULL OR id = $3) ORDER BY starts_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [new Date(now.getTime() + SHORTAGE_CHECK_LEAD_MS), limit, onlyHearingId ?? null],
  );
  const deliveryIds: string[] = [];
  for (const hearing of due) {
    const shifts = await shiftsOf(manager, [hearing.id], "00000000-0000-0000-0000-000000000000");
    const isShort = isShortOfCompanions(
      shifts.map((s) => s.signups),
      hearing.companionsNeeded,
    );
    await manager.query(`UPDATE hearings SET checked_at = $2, short_of_companions = $3 WHERE id = $1`, [
      hearing.id,
      now,
      isShort,
    ]);
    if (isShort) {
      const responders = await sqlRows<{ memberId: string }>(
        manager,
        `SELECT member_id FROM responders WHERE circle_id = $1 AND left_at IS NULL`,
        [hearing.circleId],
      );
      deliveryIds.push(
        ...(await notify(
          manager,
          hearing.circleId,
          "HEARING_SHORT",
          hearing.id,
          responders.map((r) => r.memberId),
          now,
        )),
      );
    }
  }
  return { checked: due.length, deliveryIds };
}

/** Reminds the companions of shifts starting within 24 h, once per shift. */
export async function remindDueShifts(
  manager: Queryable,
  now: Date,
  limit: number,
): Promise<{ reminded: number; deliveryIds: string[] }> {
  const due = await sqlRows<{ id: string; circleId: string }>(
    manager,
    `SELECT id, circle_id FROM hearing_shifts WHERE reminded_at IS NULL AND starts_at <= $1 AND ends_at > $2 ORDER BY starts_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [new Date(now.getTime() + REMINDER_LEAD_MS), now, limit],
  );
  const deliveryIds: string[] = [];
  for (const shift of due) {
    await manager.query(`UPDATE hearing_shifts SET reminded_at = $2 WHERE id = $1`, [shift.id, now]);
    const companions = await sqlRows<{ memberId: string }>(
      manager,
      `SELECT member_id FROM shift_signups WHERE shift_id = $1`,
      [shift.id],
    );
    deliveryIds.push(
      ...(await notify(
        manager,
        shift.circleId,
        "HEARING_REMINDER",
        shift.id,
        companions.map((c) => c.memberId),
        now,
      )),
    );
  }
  return { reminded: due.length, deliveryIds };
}
