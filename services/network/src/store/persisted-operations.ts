import { sqlRow, type Queryable } from "@rhizome/kit";

/** Registers a document for a circle's API keys (or hub-wide, circleId null); registering it again changes nothing. */
export async function registerPersistedOperation(
  tx: Queryable,
  circleId: string | null,
  hash: string,
  document: string,
  now: Date,
): Promise<Date> {
  const row = await sqlRow<{ createdAt: Date }>(
    tx,
    `WITH inserted AS (
       INSERT INTO persisted_operations (circle_id, hash, document, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING created_at)
     SELECT created_at FROM inserted
     UNION ALL SELECT created_at FROM persisted_operations WHERE circle_id IS NOT DISTINCT FROM $1 AND hash = $2
     LIMIT 1`,
    [circleId, hash, document, now],
  );
  if (!row) throw new Error("registering an operation returned no row");
  return row.createdAt;
}

/** The document a caller may run by its hash: one of the circle's (for its API keys) or a hub-wide one. */
export async function findPersistedOperation(
  db: Queryable,
  circleId: string | null,
  hash: string,
): Promise<string | undefined> {
  const row = await sqlRow<{ document: string }>(
    db,
    `SELECT document FROM persisted_operations WHERE hash = $2 AND (circle_id IS NULL OR circle_id = $1) ORDER BY circle_id NULLS LAST LIMIT 1`,
    [circleId, hash],
  );
  return row?.document;
}
