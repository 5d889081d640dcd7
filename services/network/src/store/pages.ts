import { sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";

/** A page of one circle's list: `limit` rows after the cursor (the store fetches one more to tell if there is a next page). */
export interface CirclePageKey<Cursor> {
  circleId: string;
  limit: number;
  after: Cursor | undefined;
}

/** The rows a lateral page query returned, grouped back by the key they were asked for (column `n`, 1-based). */
export function groupByKeyIndex<Row extends { n: string | number }>(keyCount: number, rows: Row[]): Row[][] {
  const pages: Row[][] = Array.from({ length: keyCount }, () => []);
  for (const row of rows) pages[Number(row.n) - 1].push(row);
  return pages;
}

/**
 * Pages of a circle's rows newest first (by created_at, then id), for many circles in one query;
 * `limit + 1` rows a key at most. Instants compare at millisecond precision, the precision of the cursor.
 */
export async function newestFirstPagesOf<Row>(
  db: Queryable,
  table: "invitations" | "api_keys",
  keys: ReadonlyArray<CirclePageKey<InstantCursor>>,
): Promise<Row[][]> {
  const rows = await sqlRows<Row & { n: string }>(
    db,
    `SELECT k.n, page.* FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::int[]) WITH ORDINALITY AS k(circle_id, after_at, after_id, row_limit, n)
     CROSS JOIN LATERAL (
       SELECT t.* FROM ${table} t
       WHERE t.circle_id = k.circle_id
         AND (k.after_at IS NULL OR (date_trunc('milliseconds', t.created_at), t.id) < (k.after_at, k.after_id))
       ORDER BY date_trunc('milliseconds', t.created_at) DESC, t.id DESC LIMIT k.row_limit
     ) page
     ORDER BY k.n, date_trunc('milliseconds', page.created_at) DESC, page.id DESC`,
    [
      keys.map((k) => k.circleId),
      keys.map((k) => k.after?.at ?? null),
      keys.map((k) => k.after?.id ?? null),
      keys.map((k) => k.limit + 1),
    ],
  );
  return groupByKeyIndex(keys.length, rows);
}
