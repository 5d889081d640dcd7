import { API_KEY_VERIFY_PATH, hasValidApiKeyChecksum, hashSecret, requireServiceCredential, type Caller } from "@rhizome/kit";
import type { Express } from "express";
import express from "express";
import { IsNull, type DataSource } from "typeorm";
import { ApiKeyRow } from "./entities/api-key.js";

/** Network's own check of an API key; a key whose checksum is wrong never reaches the database. */
export async function verifyApiKey(db: DataSource, tokenSecret: string, key: string): Promise<Caller | undefined> {
  if (!hasValidApiKeyChecksum(tokenSecret, key)) return undefined;
  const row = await db.getRepository(ApiKeyRow).findOneBy({ keyHash: hashSecret(key), revokedAt: IsNull() });
  return row ? { kind: "apiKey", keyId: row.id, circleId: row.circleId, scopes: row.scopes } : undefined;
}

/** Lets the other services check API keys without reading network's tables; they must show a service token. */
export function mountApiKeyVerification(app: Express, db: DataSource, tokenSecret: string): void {
  app.post(API_KEY_VERIFY_PATH, requireServiceCredential(tokenSecret), express.json({ limit: "2kb" }), async (request, response) => {
    const key = (request.body as { key?: unknown })?.key;
    if (typeof key !== "string") {
      response.status(400).json({ error: "body must be { key: string }" });
      return;
    }
    response.json({ caller: (await verifyApiKey(db, tokenSecret, key)) ?? null });
  });
}
