import type { DataSource } from "typeorm";
import { badInput, conflict, cycleContaining, forbidden, isUuid, notFound, type Membership } from "@rhizome/kit";
import { standing } from "../domain/skill-shares.js";
import { lockActingAccount } from "./accounts.js";

export interface SkillShare {
  id: string;
  circleId: string;
  hostMemberId: string;
  skill: string;
  startsAt: Date;
  placeGeohash: string;
  capacity: number;
  minutes: number;
  announcedAt: Date;
  attendanceRecordedAt: Date | null;
  signupCount: number;
}

export interface SkillShareSignup {
  memberId: string;
  rank: number;
  hasPlace: boolean;
  waitingPosition: number | null;
}

export const NO_SUCH_SKILL_SHARE = "No skill share with that id in your circles.";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as pg returns them, mapped field by field
function toSkillShare(row: Record<string, any>): SkillShare {
  return {
    id: row.id,
    circleId: row.circle_id,
    hostMemberId: row.host_member_id,
    skill: row.skill,
    startsAt: row.starts_at,
    placeGeohash: row.place_geohash,
    capacity: row.capacity,
    minutes: row.minutes,
    announcedAt: row.announced_at,
    attendanceRecordedAt: row.attendance_recorded_at,
    signupCount: Number(row.signup_count ?? 0),
  };
}

const WITH_COUNT = `s.*, (SELECT count(*) FROM skill_share_signups u WHERE u.skill_share_id = s.id AND u.withdrawn_at IS NULL) AS signup_count`;

export async function announceSkillShare(
  db: DataSource,
  share: {
    circleId: string;
    hostMemberId: string;
    skill: string;
    startsAt: Date;
    placeGeohash: string;
    capacity: number;
    minutes: number;
  },
  now: Date,
): Promise<SkillShare> {
  return db.transaction(async (manager) => {
    await lockActingAccount(manager, share.circleId, share.hostMemberId, now, "share");
    const rows = await manager.query(
      `INSERT INTO skill_shares (circle_id, host_member_id, skill, starts_at, place_geohash, capacity, minutes, announced_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *, 0 AS signup_count`,
      [
        share.circleId,
        share.hostMemberId,
        share.skill,
        share.startsAt,
        share.placeGeohash,
        share.capacity,
        share.minutes,
        now,
      ],
    );
    return toSkillShare(rows[0]);
  });
}

export async function findSkillShare(db: DataSource, id: string): Promise<SkillShare | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await db.query(`SELECT ${WITH_COUNT} FROM skill_shares s WHERE s.id = $1`, [id]);
  return rows[0] && toSkillShare(rows[0]);
}

export async function skillSharesOf(
  db: DataSource,
  circleId: string,
  limit: number,
  after?: { at: Date; id: string },
): Promise<SkillShare[]> {
  const rows = await db.query(
    `SELECT ${WITH_COUNT} FROM skill_shares s WHERE s.circle_id = $1 AND ($2::timestamptz IS NULL OR (s.starts_at, s.id) < ($2, $3::uuid))
     ORDER BY s.starts_at DESC, s.id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map(toSkillShare);
}

/** Sign-ups in the order they came, each with where it stands. */
export async function signupsOf(db: DataSource, share: SkillShare): Promise<SkillShareSignup[]> {
  const rows: Array<{ member_id: string }> = await db.query(
    `SELECT member_id FROM skill_share_signups WHERE skill_share_id = $1 AND withdrawn_at IS NULL ORDER BY position`,
    [share.id],
  );
  return rows.map((row, index) => ({
    memberId: row.member_id,
    rank: index + 1,
    ...standing(index + 1, share.capacity),
  }));
}

/** Signs the member up; signing up twice keeps the first place in line. */
export async function signUpForSkillShare(
  db: DataSource,
  share: SkillShare,
  member: Membership,
  now: Date,
): Promise<void> {
  if (share.hostMemberId === member.memberId)
    throw badInput("You host this skill share; your place is at the front already.");
  if (share.startsAt.getTime() <= now.getTime())
    throw conflict("This skill share has begun; sign up for the next one.");
  await db.transaction(async (manager) => {
    await lockActingAccount(manager, share.circleId, member.memberId, now, "share");
    await manager.query(
      `INSERT INTO skill_share_signups (skill_share_id, member_id, signed_up_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [share.id, member.memberId, now],
    );
  });
}

/**
 * The host records who came, once, after it began: each attendee gets an exchange proposed by the
 * host (the host gave the share's minutes), which the attendee confirms or declines as usual.
 * Everyone named must have signed up; otherwise nothing is recorded.
 */
export async function recordAttendance(
  db: DataSource,
  share: SkillShare,
  host: Membership,
  attendeeMemberIds: readonly string[],
  now: Date,
): Promise<string[]> {
  if (share.hostMemberId !== host.memberId)
    throw forbidden("Only the member who hosts this skill share records who came.");
  if (share.startsAt.getTime() > now.getTime()) throw badInput("Record who came once the skill share has begun.");
  const attendees = [...new Set(attendeeMemberIds)];
  return db.transaction(async (manager) => {
    const [locked]: Array<{ attendance_recorded_at: Date | null }> = await manager.query(
      `SELECT attendance_recorded_at FROM skill_shares WHERE id = $1 FOR UPDATE`,
      [share.id],
    );
    if (locked.attendance_recorded_at) throw conflict("Who came to this skill share is already recorded.");
    await lockActingAccount(manager, share.circleId, host.memberId, now, "share");
    const signedUp: Array<{ member_id: string }> = await manager.query(
      `SELECT u.member_id FROM skill_share_signups u JOIN accounts a ON a.member_id = u.member_id AND a.circle_id = $3 AND a.closed_at IS NULL
       WHERE u.skill_share_id = $1 AND u.withdrawn_at IS NULL AND u.member_id = ANY($2::uuid[]) ORDER BY a.id FOR SHARE OF a`,
      [share.id, attendees, share.circleId],
    );
    const missing = attendees.filter((id) => !signedUp.some((row) => row.member_id === id));
    if (missing.length > 0)
      throw badInput(
        `${missing.length} of the members named did not sign up for this skill share (or left the circle); name only those who signed up.`,
      );
    const proposed: Array<{ id: string }> = await manager.query(
      `INSERT INTO exchanges (circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, idempotency_key, proposed_at, proposed_cycle)
       SELECT $1, $2, attendee, $2, $3, $4, 'Pop-up skill share', 'skill-share-' || $5::text || '-' || attendee::text, $6, $7 FROM unnest($8::uuid[]) AS attendee
       RETURNING id`,
      [
        share.circleId,
        share.hostMemberId,
        share.minutes,
        share.skill,
        share.id,
        now,
        cycleContaining(now).label,
        attendees,
      ],
    );
    await manager.query(`UPDATE skill_shares SET attendance_recorded_at = $2 WHERE id = $1`, [share.id, now]);
    return proposed.map((row) => row.id);
  });
}

export async function requireSkillShare(db: DataSource, id: string): Promise<SkillShare> {
  const share = await findSkillShare(db, id);
  if (!share) throw notFound(NO_SUCH_SKILL_SHARE);
  return share;
}
