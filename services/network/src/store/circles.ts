import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";

/** A circle: its public face. */
export interface CircleRow {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

export function findCircleBySlug(db: Queryable, slug: string): Promise<CircleRow | undefined> {
  return sqlRow<CircleRow>(db, `SELECT * FROM circles WHERE slug = $1`, [slug.toLowerCase()]);
}

export function circlesByIds(db: Queryable, ids: readonly string[]): Promise<CircleRow[]> {
  return sqlRows<CircleRow>(db, `SELECT * FROM circles WHERE id = ANY($1::uuid[])`, [ids]);
}

/** Circles by slug after `afterSlug`; `rowLimit` rows at most. */
export function circlesAfter(db: Queryable, afterSlug: string | undefined, rowLimit: number): Promise<CircleRow[]> {
  return sqlRows<CircleRow>(db, `SELECT * FROM circles WHERE ($1::text IS NULL OR slug > $1) ORDER BY slug LIMIT $2`, [
    afterSlug ?? null,
    rowLimit,
  ]);
}

/** Inserts a circle; undefined when the slug is taken. */
export function insertCircle(
  tx: Queryable,
  circle: { slug: string; name: string },
  now: Date,
): Promise<CircleRow | undefined> {
  return sqlRow<CircleRow>(
    tx,
    `INSERT INTO circles (slug, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING *`,
    [circle.slug, circle.name, now],
  );
}

/**
 * Locks a circle against changes to who leads it: role changes and leaving take this lock before
 * they count organizers and members, so two of them never both rely on the other not happening.
 * Joining takes it shared. False when there is no such circle.
 */
export async function lockCircle(tx: Queryable, circleId: string, mode: "exclusive" | "shared"): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    tx,
    `SELECT id FROM circles WHERE id = $1 ${mode === "exclusive" ? "FOR UPDATE" : "FOR SHARE"}`,
    [circleId],
  );
  return rows.length === 1;
}

/** When the circle was founded, its row locked until the transaction ends; undefined when there is none. */
export async function lockCircleFoundedAt(tx: Queryable, circleId: string): Promise<Date | undefined> {
  const row = await sqlRow<{ createdAt: Date }>(tx, `SELECT created_at FROM circles WHERE id = $1 FOR UPDATE`, [
    circleId,
  ]);
  return row?.createdAt;
}
