import { sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";

/**
 * A page of a list ordered newest first by an instant column and the id: `select` (columns and
 * table) and `where` (numbering its parameters from $1) name the rows; the page starts after the
 * cursor's (instant, id).
 */
export function newestFirst<Row>(
  db: Queryable,
  list: { select: string; where: string; instant: string },
  params: readonly unknown[],
  after: InstantCursor | undefined,
  limit: number,
): Promise<Row[]> {
  const at = params.length + 1;
  return sqlRows<Row>(
    db,
    `SELECT ${list.select} WHERE ${list.where}
       AND ($${at}::timestamptz IS NULL OR (${list.instant}, id) < ($${at}, $${at + 1}::uuid))
     ORDER BY ${list.instant} DESC, id DESC LIMIT $${at + 2}`,
    [...params, after?.at ?? null, after?.id ?? null, limit],
  );
}

/** Whether the statement (a SELECT) answers any row. */
export async function exists(db: Queryable, text: string, params: readonly unknown[]): Promise<boolean> {
  const row = await sqlRow<{ found: boolean }>(db, `SELECT EXISTS (${text}) AS found`, params);
  return row?.found === true;
}
