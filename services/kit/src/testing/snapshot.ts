import type { DataSource } from "typeorm";

/**
 * Every row of a service's schema that belongs to one circle, as text: take one before a request
 * that must be refused and compare it with one after, to prove the refusal changed nothing.
 * Tables without a circle_id are included through `related` (table name to a query that takes the
 * circle id as $1), e.g. `{ entries: "SELECT e.* FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1" }`.
 */
export async function circleSnapshot(
  db: DataSource,
  circleId: string,
  related: Record<string, string> = {},
): Promise<Record<string, string[]>> {
  const tables: Array<{ table_name: string }> = await db.query(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.column_name = 'circle_id' ORDER BY c.table_name`,
  );
  const snapshot: Record<string, string[]> = {};
  const rowsAsText = async (sql: string) =>
    ((await db.query(`SELECT t::text AS row FROM (${sql}) t ORDER BY 1`, [circleId])) as Array<{ row: string }>).map(
      (r) => r.row,
    );
  for (const { table_name: table } of tables)
    snapshot[table] = await rowsAsText(`SELECT * FROM "${table}" WHERE circle_id = $1`);
  for (const [name, sql] of Object.entries(related)) snapshot[name] = await rowsAsText(sql);
  return snapshot;
}
