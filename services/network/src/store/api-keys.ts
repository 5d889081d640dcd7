import { isUuid, type ApiKeyScope, type InstantCursor } from "@rhizome/kit";
import { ApiKeyRow } from "../entities/api-key.js";
import { newestFirstPagesOf, type CirclePageKey, type Queryable } from "./queryable.js";

interface ApiKeySql {
  id: string;
  circle_id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  scopes: ApiKeyScope[];
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

function apiKeyFromSql(raw: ApiKeySql): ApiKeyRow {
  return Object.assign(new ApiKeyRow(), {
    id: raw.id,
    circleId: raw.circle_id,
    name: raw.name,
    keyHash: raw.key_hash,
    keyPrefix: raw.key_prefix,
    scopes: raw.scopes,
    createdBy: raw.created_by,
    createdAt: raw.created_at,
    revokedAt: raw.revoked_at,
  });
}

export interface NewApiKey {
  circleId: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  scopes: ApiKeyScope[];
  createdBy: string;
}

export async function insertApiKey(db: Queryable, key: NewApiKey, now: Date): Promise<ApiKeyRow> {
  const rows: ApiKeySql[] = await db.query(
    `INSERT INTO api_keys (circle_id, name, key_hash, key_prefix, scopes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [key.circleId, key.name, key.keyHash, key.keyPrefix, key.scopes, key.createdBy, now],
  );
  return apiKeyFromSql(rows[0]);
}

/** An API key by id; undefined for an id that is not a UUID. */
export async function findApiKey(db: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  if (!isUuid(id)) return undefined;
  const rows: ApiKeySql[] = await db.query(`SELECT * FROM api_keys WHERE id = $1`, [id]);
  return rows[0] && apiKeyFromSql(rows[0]);
}

/** Revokes an API key; revoking again keeps the first instant. */
export async function revokeApiKey(db: Queryable, id: string, now: Date): Promise<ApiKeyRow> {
  const rows: [ApiKeySql[], number] = await db.query(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *`,
    [id, now],
  );
  return apiKeyFromSql(rows[0][0]);
}

/** Pages of API keys newest first, for many circles in one query. */
export function apiKeyPagesOf(
  db: Queryable,
  keys: ReadonlyArray<CirclePageKey<InstantCursor>>,
): Promise<ApiKeyRow[][]> {
  return newestFirstPagesOf(db, "api_keys", keys, apiKeyFromSql);
}
