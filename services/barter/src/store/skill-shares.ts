import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { standing } from "../domain/skill-shares.js";

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

const SHARE_COLUMNS = `s.id, s.circle_id, s.host_member_id, s.skill, s.starts_at, s.place_geohash, s.capacity, s.minutes, s.announced_at, s.attendance_recorded_at`;
const WITH_COUNT = `${SHARE_COLUMNS}, (SELECT count(*)::int FROM skill_share_signups u WHERE u.skill_share_id = s.id AND u.withdrawn_at IS NULL) AS signup_count`;

/** What a host announces; the rest of a skill share's row is written by the store. */
export type NewSkillShare = Pick<
  SkillShare,
  "circleId" | "hostMemberId" | "skill" | "startsAt" | "placeGeohash" | "capacity" | "minutes"
>;

export async function insertSkillShare(tx: Queryable, share: NewSkillShare, now: Date): Promise<SkillShare> {
  const inserted = await sqlRow<SkillShare>(
    tx,
    `INSERT INTO skill_shares AS s (circle_id, host_member_id, skill, starts_at, place_geohash, capacity, minutes, announced_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SHARE_COLUMNS}, 0 AS signup_count`,
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
  if (!inserted) throw new Error(`Inserting a skill share answered no row.`);
  return inserted;
}

/** The skill share with this id and its sign-up count, or undefined (the id must be a UUID). */
export function findSkillShare(db: Queryable, id: string): Promise<SkillShare | undefined> {
  return sqlRow<SkillShare>(db, `SELECT ${WITH_COUNT} FROM skill_shares s WHERE s.id = $1`, [id]);
}

export function skillSharesOf(
  db: Queryable,
  circleId: string,
  limit: number,
  after?: { at: Date; id: string },
): Promise<SkillShare[]> {
  return sqlRows<SkillShare>(
    db,
    `SELECT ${WITH_COUNT} FROM skill_shares s WHERE s.circle_id = $1 AND ($2::timestamptz IS NULL OR (s.starts_at, s.id) < ($2, $3::uuid))
     ORDER BY s.starts_at DESC, s.id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
}

/** Sign-ups in the order they came, each with where it stands. */
export async function signupsOf(db: Queryable, share: SkillShare): Promise<SkillShareSignup[]> {
  const rows = await sqlRows<{ memberId: string }>(
    db,
    `SELECT member_id FROM skill_share_signups WHERE skill_share_id = $1 AND withdrawn_at IS NULL ORDER BY position`,
    [share.id],
  );
  return rows.map((row, index) => ({
    memberId: row.memberId,
    rank: index + 1,
    ...standing(index + 1, share.capacity),
  }));
}

/** Signs the member up; signing up twice keeps the first place in line. */
export async function insertSignup(tx: Queryable, shareId: string, memberId: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO skill_share_signups (skill_share_id, member_id, signed_up_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [shareId, memberId, now],
  );
}

/** When who came was recorded (null: not yet), with the skill share locked so it is recorded once. */
export async function lockAttendanceRecordedAt(tx: Queryable, shareId: string): Promise<Date | null> {
  const row = await sqlRow<{ attendanceRecordedAt: Date | null }>(
    tx,
    `SELECT attendance_recorded_at FROM skill_shares WHERE id = $1 FOR UPDATE`,
    [shareId],
  );
  if (!row) throw new Error(`Skill share ${shareId} vanished.`);
  return row.attendanceRecordedAt;
}

/** Which of these members signed up and are still in the circle, their accounts held FOR SHARE. */
export async function shareSignedUpAttendees(
  tx: Queryable,
  share: SkillShare,
  attendees: readonly string[],
): Promise<string[]> {
  const rows = await sqlRows<{ memberId: string }>(
    tx,
    `SELECT u.member_id FROM skill_share_signups u JOIN accounts a ON a.member_id = u.member_id AND a.circle_id = $3 AND a.closed_at IS NULL
     WHERE u.skill_share_id = $1 AND u.withdrawn_at IS NULL AND u.member_id = ANY($2::uuid[]) ORDER BY a.id FOR SHARE OF a`,
    [share.id, attendees, share.circleId],
  );
  return rows.map((row) => row.memberId);
}

/** Proposes each attendee's exchange with the host (the host gave the share's minutes), and marks attendance recorded. */
export async function recordAttendanceExchanges(
  tx: Queryable,
  share: SkillShare,
  attendees: readonly string[],
  now: Date,
  cycle: string,
): Promise<string[]> {
  const proposed = await sqlRows<{ id: string }>(
    tx,
    `INSERT INTO exchanges (circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, idempotency_key, proposed_at, proposed_cycle)
     SELECT $1, $2, attendee, $2, $3, $4, 'Pop-up skill share', 'skill-share-' || $5::text || '-' || attendee::text, $6, $7 FROM unnest($8::uuid[]) AS attendee
     RETURNING id`,
    [share.circleId, share.hostMemberId, share.minutes, share.skill, share.id, now, cycle, attendees],
  );
  await tx.query(`UPDATE skill_shares SET attendance_recorded_at = $2 WHERE id = $1`, [share.id, now]);
  return proposed.map((row) => row.id);
}
