import {
  API_KEY_VERIFY_PATH,
  hasValidApiKeyChecksum,
  hashSecret,
  requireServiceCredential,
  type ApiKeyScope,
  type Caller,
} from "@rhizome/kit";
import type { Express } from "express";
import express from "express";
import type { DataSource } from "typeorm";

/**
 * Network's own check of an API key; a key whose checksum is wrong never reaches the database. The
 * caller names the key's holder (the person whose membership made it) for the gateway's rate limits.
 */
export async function verifyApiKey(db: DataSource, tokenSecret: string, key: string): Promise<Caller | undefined> {
  if (!hasValidApiKeyChecksum(tokenSecret, key)) return undefined;
  const rows: Array<{
    id: string;
    circle_id: string;
    scopes: ApiKeyScope[];
    created_by: string;
    person_id: string | null;
  }> = await db.query(
    `SELECT k.id, k.circle_id, k.scopes, k.created_by, m.person_id
     FROM api_keys k LEFT JOIN members m ON m.id = k.created_by
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
    [hashSecret(key)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const holderId = row.person_id ? `person:${row.person_id}` : `member:${row.created_by}`;
  return { kind: "apiKey", keyId: row.id, circleId: row.circle_id, scopes: row.scopes, holderId };
}

/** Lets the other services check API keys without reading network's tables; they must show a service token. */
export function mountApiKeyVerification(app: Express, db: DataSource, tokenSecret: string): void {
  app.post(
    API_KEY_VERIFY_PATH,
    requireServiceCredential(tokenSecret, "network"),
    express.json({ limit: "2kb" }),
    async (request, response) => {
      const key = (request.body as { key?: unknown })?.key;
      if (typeof key !== "string") {
        response.status(400).json({ error: "body must be { key: string }" });
        return;
      }
      response.json({ caller: (await verifyApiKey(db, tokenSecret, key)) ?? null });
    },
  );
}
