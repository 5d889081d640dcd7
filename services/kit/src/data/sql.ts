import type { EntityManager } from "typeorm";

/** A data source or a transaction's manager: anything that runs SQL. Stores take one. */
export type Queryable = Pick<EntityManager, "query">;

const camelNames = new Map<string, string>();

/** `circle_id` is `circleId`; names without an underscore stay as they are. */
export function camelName(column: string): string {
  let name = camelNames.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    camelNames.set(column, name);
  }
  return name;
}

/**
 * The rows of what TypeORM's `query` answered on Postgres: an array of rows for SELECT and INSERT,
 * `[rows, count]` for UPDATE and DELETE (rows are objects, never arrays, so the two cannot be confused).
 */
export function rowsOfResult(result: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(result)) return [];
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number") return result[0];
  return result as Array<Record<string, unknown>>;
}

function camelRow(raw: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column in raw) row[camelName(column)] = raw[column];
  return row;
}

/**
 * The rows a statement answers (SELECT, or INSERT, UPDATE, DELETE with RETURNING), each column named in
 * camelCase (`circle_id` is `circleId`), typed as the store's row type. Postgres answers int8, numeric
 * and count(*) as strings: cast them in SQL (`::int`) or type them as strings.
 */
export async function sqlRows<Row>(db: Queryable, text: string, params: readonly unknown[] = []): Promise<Row[]> {
  return rowsOfResult(await db.query(text, [...params])).map((raw) => camelRow(raw) as Row);
}

/** The first row a statement answers, or undefined when there is none. */
export async function sqlRow<Row>(
  db: Queryable,
  text: string,
  params: readonly unknown[] = [],
): Promise<Row | undefined> {
  return (await sqlRows<Row>(db, text, params))[0];
}

/** How many rows an UPDATE or DELETE changed (RETURNING or not). */
export async function changedCount(db: Queryable, text: string, params: readonly unknown[] = []): Promise<number> {
  const result: unknown = await db.query(text, [...params]);
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === "number") return result[1];
  return rowsOfResult(result).length;
}
