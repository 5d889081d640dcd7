import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { conflict, notFound } from "@rhizome/kit";
import { isShortOfCompanions, REMINDER_LEAD_MS, SHORTAGE_CHECK_LEAD_MS } from "../domain/accompaniment.js";
import { notify } from "./alerts.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";

type Queryable = Pick<EntityManager, "query">;

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

const toHearing = (r: Record<string, never>): HearingRow => ({
  id: r.id,
  circleId: r.circle_id,
  scheduledByMemberId: r.scheduled_by_member_id,
  startsAt: r.starts_at,
  geohash: r.geohash,
  companionsNeeded: r.companions_needed,
  checkedAt: r.checked_at,
  isShortOfCompanions: r.short_of_companions,
});

export async function scheduleHearing(
  manager: EntityManager,
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
  const [row] = await manager.query(
    `INSERT INTO hearings (id, circle_id, scheduled_by_member_id, starts_at, geohash, companions_needed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [randomUUID(), input.circleId, input.memberId, input.startsAt, input.geohash, input.companionsNeeded, now],
  );
  const shiftIds = input.shifts.map(() => randomUUID());
  await manager.query(
    `INSERT INTO hearing_shifts (id, circle_id, hearing_id, starts_at, ends_at) SELECT s.id, $1, $2, s.starts_at, s.ends_at FROM unnest($3::uuid[], $4::timestamptz[], $5::timestamptz[]) AS s(id, starts_at, ends_at)`,
    [input.circleId, row.id, shiftIds, input.shifts.map((s) => s.startsAt), input.shifts.map((s) => s.endsAt)],
  );
  await addHandlers(manager, input.circleId, "HEARING", row.id, [input.memberId], now);
  return { hearing: toHearing(row), shiftIds };
}

export async function hearingsByIds(db: Queryable, ids: readonly string[]): Promise<HearingRow[]> {
  return (await db.query(`SELECT * FROM hearings WHERE id = ANY($1::uuid[])`, [ids])).map(toHearing);
}

export async function upcomingHearings(
  db: Queryable,
  circleId: string,
  from: Date,
  limit: number,
): Promise<HearingRow[]> {
  return (
    await db.query(`SELECT * FROM hearings WHERE circle_id = $1 AND starts_at >= $2 ORDER BY starts_at, id LIMIT $3`, [
      circleId,
      from,
      limit,
    ])
  ).map(toHearing);
}

export async function shiftsOf(db: Queryable, hearingIds: readonly string[], memberId: string): Promise<ShiftRow[]> {
  const rows: Array<{
    id: string;
    hearing_id: string;
    starts_at: Date;
    ends_at: Date;
    signups: string;
    mine: boolean;
  }> = await db.query(
    `SELECT s.id, s.hearing_id, s.starts_at, s.ends_at, count(u.member_id) AS signups, bool_or(u.member_id = $2) AS mine
     FROM hearing_shifts s LEFT JOIN shift_signups u ON u.shift_id = s.id WHERE s.hearing_id = ANY($1::uuid[]) GROUP BY s.id ORDER BY s.starts_at, s.id`,
    [hearingIds, memberId],
  );
  return rows.map((r) => ({
    id: r.id,
    hearingId: r.hearing_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    signups: Number(r.signups),
    isSignedUpByMe: r.mine === true,
  }));
}

export async function shiftCircle(
  db: Queryable,
  shiftId: string,
): Promise<{ circleId: string; hearingId: string; startsAt: Date } | undefined> {
  const [row] = await db.query(`SELECT circle_id, hearing_id, starts_at FROM hearing_shifts WHERE id = $1`, [shiftId]);
  return row && { circleId: row.circle_id, hearingId: row.hearing_id, startsAt: row.starts_at };
}

export async function signUpForShift(
  manager: EntityManager,
  shiftId: string,
  circleId: string,
  memberId: string,
  now: Date,
): Promise<string> {
  const [shift] = await manager.query(
    `SELECT hearing_id, ends_at FROM hearing_shifts WHERE id = $1 AND circle_id = $2`,
    [shiftId, circleId],
  );
  if (!shift) throw notFound("No shift with that id in your circles.");
  if (shift.ends_at.getTime() <= now.getTime()) throw conflict("This shift is over.");
  await rememberMember(manager, circleId, memberId, now);
  // Signing up gives no access to the case: the person facing the hearing shares its notes (shareHearingNotes).
  await manager.query(
    `INSERT INTO shift_signups (shift_id, circle_id, member_id, signed_up_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [shiftId, circleId, memberId, now],
  );
  return shift.hearing_id;
}

/** The members signed up for any shift of a hearing, in signing-up order. */
export async function companionsOf(db: Queryable, hearingId: string): Promise<string[]> {
  const rows: Array<{ member_id: string }> = await db.query(
    `SELECT u.member_id FROM shift_signups u JOIN hearing_shifts s ON s.id = u.shift_id WHERE s.hearing_id = $1 GROUP BY u.member_id ORDER BY min(u.signed_up_at), u.member_id`,
    [hearingId],
  );
  return rows.map((r) => r.member_id);
}

/** Makes a companion of the hearing a handler of its case (reads and writes its notes). False when they are no companion. */
export async function shareHearingNotes(
  manager: EntityManager,
  hearing: HearingRow,
  memberId: string,
  now: Date,
): Promise<boolean> {
  if (!(await companionsOf(manager, hearing.id)).includes(memberId)) return false;
  await addHandlers(manager, hearing.circleId, "HEARING", hearing.id, [memberId], now);
  return true;
}

/**
 * Checks hearings whose check time has come (48 h before): flags those with a shift short of
 * companions and tells the circle's responders. Marked checked in the same transaction, so a rerun
 * does nothing. Returns the webhook deliveries to send and how many were checked.
 */
export async function checkDueHearings(
  manager: EntityManager,
  now: Date,
  limit: number,
  onlyHearingId?: string,
): Promise<{ checked: number; deliveryIds: string[] }> {
  const due: Array<Record<string, never>> = await manager.query(
    `SELECT * FROM hearings WHERE checked_at IS NULL AND starts_at <= $1 AND ($3::uuid IS NULL OR id = $3) ORDER BY starts_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [new Date(now.getTime() + SHORTAGE_CHECK_LEAD_MS), limit, onlyHearingId ?? null],
  );
  const deliveryIds: string[] = [];
  for (const hearing of due.map(toHearing)) {
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
      const responders: Array<{ member_id: string }> = await manager.query(
        `SELECT member_id FROM responders WHERE circle_id = $1 AND left_at IS NULL`,
        [hearing.circleId],
      );
      deliveryIds.push(
        ...(await notify(
          manager,
          hearing.circleId,
          "HEARING_SHORT",
          hearing.id,
          responders.map((r) => r.member_id),
          now,
        )),
      );
    }
  }
  return { checked: due.length, deliveryIds };
}

/** Reminds the companions of shifts starting within 24 h, once per shift. */
export async function remindDueShifts(
  manager: EntityManager,
  now: Date,
  limit: number,
): Promise<{ reminded: number; deliveryIds: string[] }> {
  const due: Array<{ id: string; circle_id: string }> = await manager.query(
    `SELECT id, circle_id FROM hearing_shifts WHERE reminded_at IS NULL AND starts_at <= $1 AND ends_at > $2 ORDER BY starts_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [new Date(now.getTime() + REMINDER_LEAD_MS), now, limit],
  );
  const deliveryIds: string[] = [];
  for (const shift of due) {
    await manager.query(`UPDATE hearing_shifts SET reminded_at = $2 WHERE id = $1`, [shift.id, now]);
    const companions: Array<{ member_id: string }> = await manager.query(
      `SELECT member_id FROM shift_signups WHERE shift_id = $1`,
      [shift.id],
    );
    deliveryIds.push(
      ...(await notify(
        manager,
        shift.circle_id,
        "HEARING_REMINDER",
        shift.id,
        companions.map((c) => c.member_id),
        now,
      )),
    );
  }
  return { reminded: due.length, deliveryIds };
}
