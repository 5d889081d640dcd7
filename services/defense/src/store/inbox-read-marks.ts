import { sqlRow, type Queryable } from "@rhizome/kit";

/** How many notifications to these members came after the instant each read up to. */
export async function unreadCountOf(db: Queryable, memberIds: readonly string[]): Promise<number> {
  const row = await sqlRow<{ unread: number }>(
    db,
    `SELECT count(*)::int AS unread FROM notifications n
     LEFT JOIN inbox_read_marks m ON m.member_id = n.member_id
     WHERE n.member_id = ANY($1::uuid[]) AND n.created_at > COALESCE(m.read_up_to, '-infinity')`,
    [memberIds],
  );
  return row?.unread ?? 0;
}

/** Moves each member's read mark forward to `upTo` (never back). */
export async function markReadUpTo(db: Queryable, memberIds: readonly string[], upTo: Date): Promise<void> {
  await db.query(
    `INSERT INTO inbox_read_marks (member_id, read_up_to) SELECT unnest($1::uuid[]), $2
     ON CONFLICT (member_id) DO UPDATE SET read_up_to = GREATEST(inbox_read_marks.read_up_to, EXCLUDED.read_up_to)`,
    [memberIds, upTo],
  );
}
