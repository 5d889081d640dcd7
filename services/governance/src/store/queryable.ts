import type { EntityManager } from "typeorm";

/** A data source or a transaction's manager: anything that runs SQL. */
export type Queryable = Pick<EntityManager, "query">;

/** Rows of `select` for these ids, in no particular order (ids already checked to be UUIDs). */
export async function rowsByIds<Row>(
  db: Queryable,
  table: string,
  ids: readonly string[],
  map: (raw: Record<string, unknown>) => Row,
): Promise<Row[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM ${table} WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
  return raws.map(map);
}

/** For UPDATE and DELETE, TypeORM's query() answers [rows, rowCount]. */
export function changedRows<Row>(result: unknown): Row[] {
  return (result as [Row[], number])[0];
}
