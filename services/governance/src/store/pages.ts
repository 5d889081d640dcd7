import { newestFirstRows, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";

/** The tables read by id or newest first; names are written here, never taken from a request. */
type Table = "bodies" | "proposals" | "roles" | "pacts" | "assemblies" | "power_nodes" | "experiments" | "playbooks";

/** Rows of a table by id, in no particular order (the loaders checked the ids are UUIDs). */
export async function rowsByIds<Row>(db: Queryable, table: Table, ids: readonly string[]): Promise<Row[]> {
  return sqlRows<Row>(db, `SELECT * FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
}

/**
 * A page of a table's rows newest first, by an instant column then id, after the cursor: the rows whose
 * columns equal `filter` (column names written in the store, values bound as parameters).
 */
export async function newestFirst<Row>(
  db: Queryable,
  table: Table,
  instantColumn: "created_at" | "adopted_at" | "started_at" | "published_at" | "composted_at",
  filter: Readonly<Record<string, unknown>>,
  after: InstantCursor | undefined,
  limit: number,
): Promise<Row[]> {
  return newestFirstRows<Row>(db, { select: "*", from: table, instantColumn, where: filter }, after, limit);
}
