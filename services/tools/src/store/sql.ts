import type { EntityManager } from "typeorm";

/** TypeORM answers an UPDATE with [rows, count] on Postgres; this gives the RETURNING rows. */
export async function updateReturning<Row>(
  manager: Pick<EntityManager, "query">,
  sql: string,
  params: unknown[],
): Promise<Row[]> {
  const [rows] = (await manager.query(sql, params)) as [Row[], number];
  return rows;
}
