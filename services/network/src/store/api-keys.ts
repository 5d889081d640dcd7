import { isUuid, type ApiKeyScope, type InstantCursor } from "@rhizome/kit";
import { ApiKeyRow } from "../entities/api-key.js";
import { groupByKeyIndex, type CirclePageKey, type Queryable } from "./queryable.js";

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
  const rows: [ApiKeySql[], number] = await db.query(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *`, [id, now]);
  return apiKeyFromSql(rows[0][0]);
}

/** Pages of API keys newest first, for many circles in one query; `limit + 1` rows a key at most. */
export async function apiKeyPagesOf(db: Queryable, keys: ReadonlyArray<CirclePageKey<InstantCursor>>): Promise<ApiKeyRow[][]> {
  const raws: Array<ApiKeySql & { n: string }> = await db.query(
    `SELECT k.n, page.* FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::int[]) WITH ORDINALITY AS k(circle_id, after_at, after_id, row_limit, n)
     CROSS JOIN LATERAL (
       SELECT a.* FROM api_keys a
       WHERE a.circle_id = k.circle_id
         AND (k.after_at IS NULL OR (date_trunc('milliseconds', a.created_at), a.id) < (k.after_at, k.after_id))
       ORDER BY date_trunc('milliseconds', a.created_at) DESC, a.id DESC LIMIT k.row_limit
     ) page
     ORDER BY k.n, date_trunc('milliseconds', page.created_at) DESC, page.id DESC`,
    [keys.map((k) => k.circleId), keys.map((k) => k.after?.at ?? null), keys.map((k) => k.after?.id ?? null), keys.map((k) => k.limit + 1)],
  );
  return groupByKeyIndex(keys.length, raws, apiKeyFromSql);
}
