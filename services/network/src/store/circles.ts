import { CircleRow } from "../entities/circle.js";
import type { Queryable } from "./queryable.js";

interface CircleSql {
  id: string;
  slug: string;
  name: string;
  created_at: Date;
}

export function circleFromSql(raw: CircleSql): CircleRow {
  return Object.assign(new CircleRow(), { id: raw.id, slug: raw.slug, name: raw.name, createdAt: raw.created_at });
}

export async function findCircleBySlug(db: Queryable, slug: string): Promise<CircleRow | undefined> {
  const rows: CircleSql[] = await db.query(`SELECT * FROM circles WHERE slug = $1`, [slug.toLowerCase()]);
  return rows[0] && circleFromSql(rows[0]);
}

export async function circlesByIds(db: Queryable, ids: readonly string[]): Promise<CircleRow[]> {
  const rows: CircleSql[] = await db.query(`SELECT * FROM circles WHERE id = ANY($1::uuid[])`, [ids]);
  return rows.map(circleFromSql);
}

/** Circles by slug after `afterSlug`; `rowLimit` rows at most. */
export async function circlesAfter(
  db: Queryable,
  afterSlug: string | undefined,
  rowLimit: number,
): Promise<CircleRow[]> {
  const rows: CircleSql[] = await db.query(
    `SELECT * FROM circles WHERE ($1::text IS NULL OR slug > $1) ORDER BY slug LIMIT $2`,
    [afterSlug ?? null, rowLimit],
  );
  return rows.map(circleFromSql);
}

/** Inserts a circle; undefined when the slug is taken. */
export async function insertCircle(
  db: Queryable,
  circle: { slug: string; name: string },
  now: Date,
): Promise<CircleRow | undefined> {
  const rows: CircleSql[] = await db.query(
    `INSERT INTO circles (slug, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING *`,
    [circle.slug, circle.name, now],
  );
  return rows[0] && circleFromSql(rows[0]);
}

/**
 * Locks a circle against changes to who leads it: role changes and leaving take this lock before
 * they count organizers and members, so two of them never both rely on the other not happening.
 * Joining takes it shared. False when there is no such circle.
 */
export async function lockCircle(db: Queryable, circleId: string, mode: "exclusive" | "shared"): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `SELECT id FROM circles WHERE id = $1 ${mode === "exclusive" ? "FOR UPDATE" : "FOR SHARE"}`,
    [circleId],
  );
  return rows.length === 1;
}
