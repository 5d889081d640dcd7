import { sqlRow, type ApiKeyScope, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirstPagesOf, type CirclePageKey } from "./pages.js";

/** A third-party client's key. Only its hash is stored; the key is shown once. */
export interface ApiKeyRow {
  id: string;
  circleId: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export type NewApiKey = Pick<ApiKeyRow, "circleId" | "name" | "keyHash" | "keyPrefix" | "scopes" | "createdBy">;

export async function insertApiKey(tx: Queryable, key: NewApiKey, now: Date): Promise<ApiKeyRow> {
  const row = await sqlRow<ApiKeyRow>(
    tx,
    `INSERT INTO api_keys (circle_id, name, key_hash, key_prefix, scopes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [key.circleId, key.name, key.keyHash, key.keyPrefix, key.scopes, key.createdBy, now],
  );
  if (!row) throw new Error("inserting an API key returned no row");
  return row;
}

/** An API key by id (a UUID). */
export function findApiKey(db: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  return sqlRow<ApiKeyRow>(db, `SELECT * FROM api_keys WHERE id = $1`, [id]);
}

/** Revokes an API key (rows are never deleted); revoking again keeps the first instant. */
export async function revokeApiKey(tx: Queryable, id: string, now: Date): Promise<ApiKeyRow> {
  const row = await sqlRow<ApiKeyRow>(
    tx,
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *`,
    [id, now],
  );
  if (!row) throw new Error(`no API key ${id} to revoke`);
  return row;
}

/** Pages of API keys newest first, for many circles in one query. */
export function apiKeyPagesOf(
  db: Queryable,
  keys: ReadonlyArray<CirclePageKey<InstantCursor>>,
): Promise<ApiKeyRow[][]> {
  return newestFirstPagesOf<ApiKeyRow>(db, "api_keys", keys);
}
