import type { EntityManager } from "typeorm";
import { registerKnownCircle } from "@rhizome/kit";
import { tellReservationsClosed } from "./reservation-events.js";
import { updateReturning } from "./sql.js";

type Queryable = Pick<EntityManager, "query">;

/**
 * Records a member tools has seen act (their token proved the membership), and their circle. A
 * member who left stays left: network's member.left is the only way out, and its rejoin a new id.
 */
export async function rememberMember(manager: Queryable, circleId: string, memberId: string, now: Date): Promise<void> {
  // known_circles first, as the event consumer does before any handler, so a member's first request
  // racing network's member.joined waits for it instead of deadlocking with it.
  await registerKnownCircle(manager, circleId, now);
  await manager.query(
    `INSERT INTO members (circle_id, member_id, first_seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [circleId, memberId, now],
  );
}

export async function isCurrentMember(manager: Queryable, circleId: string, memberId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM members WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [circleId, memberId],
  );
  return rows.length === 1;
}

/** network said the member joined. */
export async function memberJoined(manager: Queryable, circleId: string, memberId: string, at: Date): Promise<void> {
  await manager.query(
    `INSERT INTO members (circle_id, member_id, first_seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [circleId, memberId, at],
  );
}

/**
 * network said the member left: they leave every queue and stop volunteering as caretaker. Tools
 * they hold stay recorded with them until someone takes them over by a hand-off.
 */
export async function memberLeft(manager: Queryable, circleId: string, memberId: string, at: Date): Promise<void> {
  await manager.query(
    `INSERT INTO members (circle_id, member_id, first_seen_at, left_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (circle_id, member_id) DO UPDATE SET left_at = COALESCE(members.left_at, EXCLUDED.left_at)`,
    [circleId, memberId, at],
  );
  const cancelled = await updateReturning<{ id: string; tool_id: string }>(
    manager,
    `UPDATE reservations SET status = 'CANCELLED', closed_at = $3 WHERE circle_id = $1 AND member_id = $2 AND status = 'WAITING' RETURNING id, tool_id`,
    [circleId, memberId, at],
  );
  for (const { tool_id } of cancelled)
    await manager.query(`UPDATE tools SET waiting_count = waiting_count - 1 WHERE id = $1`, [tool_id]);
  await tellReservationsClosed(
    manager,
    circleId,
    cancelled.map((reservation) => reservation.id),
    at,
  );
  await manager.query(
    `UPDATE caretaker_volunteers SET withdrawn_at = $3 WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL`,
    [circleId, memberId, at],
  );
}
