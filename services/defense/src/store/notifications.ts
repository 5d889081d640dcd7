import type { EntityManager } from "typeorm";

type Queryable = Pick<EntityManager, "query">;

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
  const rows: Array<Record<string, never>> = await db.query(
    `SELECT id, circle_id, member_id, kind, case_id, created_at FROM notifications
     WHERE member_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [memberIds, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    circleId: r.circle_id,
    memberId: r.member_id,
    kind: r.kind,
    caseId: r.case_id,
    createdAt: r.created_at,
  }));
}
