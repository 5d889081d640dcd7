import { randomUUID } from "node:crypto";
import { newestFirstRows, sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import type { NotificationKind } from "../domain/inbox.js";
import { exists } from "./queries.js";

/** A message in one member's in-app inbox. */
export interface NotificationRow {
  id: string;
  circleId: string;
  memberId: string;
  kind: NotificationKind;
  toolId: string;
  /** Null for TOOL_RETIRED, which is about a reservation. */
  loanId: string | null;
  dueAt: Date | null;
  dedupeKey: string;
  createdAt: Date;
}

/** Whether a reminder of this kind went out for the loan's due date. */
export async function reminderSent(
  tx: Queryable,
  loanId: string,
  dueAt: Date,
  kind: NotificationKind,
): Promise<boolean> {
  return exists(tx, `SELECT FROM notifications WHERE loan_id = $1 AND due_at = $2 AND kind = $3`, [
    loanId,
    dueAt,
    kind,
  ]);
}

/**
 * Writes a notification into a member's inbox once per `dedupeKey`; answers whether it was new.
 * A TOOL_RETIRED notice has no loan or due date.
 */
export async function notify(
  tx: Queryable,
  notice: Omit<NotificationRow, "id" | "createdAt">,
  now: Date,
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    tx,
    `INSERT INTO notifications (id, circle_id, member_id, kind, tool_id, loan_id, due_at, dedupe_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [
      randomUUID(),
      notice.circleId,
      notice.memberId,
      notice.kind,
      notice.toolId,
      notice.loanId,
      notice.dueAt,
      notice.dedupeKey,
      now,
    ],
  );
  return rows.length > 0;
}

/**
 * Tells each member whose reservation closed because its tool was retired, in their inbox, once per
 * reservation.
 */
export async function tellToolRetired(
  tx: Queryable,
  tool: { id: string; circleId: string },
  reservations: ReadonlyArray<{ id: string; memberId: string }>,
  now: Date,
): Promise<void> {
  for (const reservation of reservations)
    await notify(
      tx,
      {
        circleId: tool.circleId,
        memberId: reservation.memberId,
        kind: "TOOL_RETIRED",
        toolId: tool.id,
        loanId: null,
        dueAt: null,
        dedupeKey: `retired:${reservation.id}`,
      },
      now,
    );
}

export interface OverdueLoan {
  id: string;
  dueAt: Date;
  intervalHours: number;
  /** The kinds of reminder the loan already got for its due date. */
  sent: NotificationKind[];
}

/**
 * Open overdue loans by due date after `after`, with the circle's reminder interval and the stages each
 * already got; a loan that got all three has nothing left to send and is skipped.
 */
export function overdueLoans(
  db: Queryable,
  now: Date,
  defaultIntervalHours: number,
  after: { dueAt: Date; id: string } | undefined,
  limit: number,
): Promise<OverdueLoan[]> {
  return sqlRows<OverdueLoan>(
    db,
    `SELECT l.id, l.due_at, COALESCE(s.reminder_interval_hours, $2) AS interval_hours,
       ARRAY(SELECT DISTINCT n.kind FROM notifications n WHERE n.loan_id = l.id AND n.due_at = l.due_at) AS sent
     FROM loans l LEFT JOIN library_settings s ON s.circle_id = l.circle_id
     WHERE l.returned_at IS NULL AND l.due_at <= $1
       AND ($3::timestamptz IS NULL OR (l.due_at, l.id) > ($3, $4::uuid))
       AND (SELECT count(DISTINCT n.kind) FROM notifications n WHERE n.loan_id = l.id AND n.due_at = l.due_at) < 3
     ORDER BY l.due_at, l.id LIMIT $5`,
    [now, defaultIntervalHours, after?.dueAt ?? null, after?.id ?? null, limit],
  );
}

/** A notification with the instant its member has read their inbox up to (null if they never marked it). */
export type InboxRow = NotificationRow & { readUpTo: Date | null };

/** A member's own inbox, newest first, each row with the member's read mark: one statement for both. */
export function inboxOf(
  db: Queryable,
  circleId: string,
  memberId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<InboxRow[]> {
  const list = {
    select: `id, circle_id, member_id, kind, tool_id, loan_id, due_at, dedupe_key, created_at,
       (SELECT read_up_to FROM inbox_read_marks marks WHERE marks.member_id = notifications.member_id) AS read_up_to`,
    from: "notifications",
    instantColumn: "created_at",
    where: { circle_id: circleId, member_id: memberId },
  };
  return newestFirstRows<InboxRow>(db, list, after, limit);
}

/** How many notifications of a member's inbox came after the instant they read up to (all of them if they never marked any). */
export async function unreadCountOf(db: Queryable, circleId: string, memberId: string): Promise<number> {
  const row = await sqlRow<{ unread: number }>(
    db,
    `SELECT count(*)::int AS unread FROM notifications n
     WHERE n.circle_id = $1 AND n.member_id = $2
       AND n.created_at > COALESCE((SELECT read_up_to FROM inbox_read_marks WHERE member_id = $2), '-infinity')`,
    [circleId, memberId],
  );
  return row!.unread;
}

/** Moves a member's read mark forward to `upTo` (never back: marking an older instant changes nothing). */
export async function markReadUpTo(tx: Queryable, circleId: string, memberId: string, upTo: Date): Promise<void> {
  await tx.query(
    `INSERT INTO inbox_read_marks (member_id, circle_id, read_up_to) VALUES ($1, $2, $3)
     ON CONFLICT (member_id) DO UPDATE SET read_up_to = GREATEST(inbox_read_marks.read_up_to, EXCLUDED.read_up_to)`,
    [memberId, circleId, upTo],
  );
}
