import { sqlRows, type Queryable } from "@rhizome/kit";

export interface NotificationRow {
  id: string;
  circleId: string;
  memberId: string;
  kind: string;
  caseId: string;
  createdAt: Date;
}

/** A notification with the instant its member has read their inbox up to (null if they never marked it). */
export type InboxRow = NotificationRow & { readUpTo: Date | null };

/** The inbox of one person's member ids, newest first, each row with its member's read mark: one statement for both. */
export async function notificationsOfMembers(
  db: Queryable,
  memberIds: readonly string[],
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<InboxRow[]> {
  return sqlRows<InboxRow>(
    db,
    `SELECT n.*, (SELECT m.read_up_to FROM inbox_read_marks m WHERE m.member_id = n.member_id) AS read_up_to
     FROM (SELECT id, circle_id, member_id, kind, case_id, created_at FROM notifications
           WHERE member_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
           ORDER BY created_at DESC, id DESC LIMIT $4) AS n
     ORDER BY n.created_at DESC, n.id DESC`,
    [memberIds, after?.at ?? null, after?.id ?? null, limit],
  );
}
