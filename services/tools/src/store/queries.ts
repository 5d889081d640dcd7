import { sqlRow, type Queryable } from "@rhizome/kit";

/** Whether the statement (a SELECT) answers any row. */
export async function exists(db: Queryable, text: string, params: readonly unknown[]): Promise<boolean> {
  const row = await sqlRow<{ found: boolean }>(db, `SELECT EXISTS (${text}) AS found`, params);
  return row?.found === true;
}
