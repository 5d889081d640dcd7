import { sqlRows, type Queryable } from "@rhizome/kit";

export interface NotificationRow {
  id: string;
  circleId: string;
  memberId: string;
  kind: string;
  caseId: string;
  createdAt: Date;
}

/** The inbox of one person's member ids, newest first. */
export async function notificationsOfMembers(
  db: Queryable,
  memberIds: readonly string[],
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<NotificationRow[]> {
  return sqlRows<NotificationRow>(
    db,
    `SELECT id, circle_id, member_id, kind, case_id, created_at FROM notifications
     WHERE member_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [memberIds, after?.at ?? null, after?.id ?? null, limit],
  );
}
