import { sqlRows, type Queryable } from "./sql.js";

/**
 * A page of rows newest first, by an instant column then id, after a keyset. Table, column and select
 * list are written in the store, never taken from a request; the `where` values are bound as parameters.
 */
export interface NewestFirstQuery {
  select: string;
  from: string;
  instantColumn: string;
  where: Readonly<Record<string, unknown>>;
  /** Array columns that must hold a value, e.g. `{ categories: "garden" }`. */
  whereHolds?: Readonly<Record<string, unknown>>;
}

export function newestFirstRows<Row>(
  db: Queryable,
  query: NewestFirstQuery,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<Row[]> {
  const columns = Object.keys(query.where);
  const arrayColumns = Object.keys(query.whereHolds ?? {});
  const at = columns.length + arrayColumns.length + 1;
  const conditions = [
    ...columns.map((column, i) => `${column} = $${i + 1}`),
    ...arrayColumns.map((column, i) => `$${columns.length + i + 1} = ANY(${column})`),
    `($${at}::timestamptz IS NULL OR (${query.instantColumn}, id) < ($${at}, $${at + 1}::uuid))`,
  ];
  return sqlRows<Row>(
    db,
    `SELECT ${query.select} FROM ${query.from} WHERE ${conditions.join(" AND ")}
     ORDER BY ${query.instantColumn} DESC, id DESC LIMIT $${at + 2}`,
    [
      ...Object.values(query.where),
      ...Object.values(query.whereHolds ?? {}),
      after?.at ?? null,
      after?.id ?? null,
      limit,
    ],
  );
}
