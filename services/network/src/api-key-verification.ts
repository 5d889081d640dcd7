import { API_KEY_VERIFY_PATH, hashSecret, type Caller } from "@rhizome/kit";
import type { Express } from "express";
import express from "express";
import { IsNull, type DataSource } from "typeorm";
import { ApiKeyRow } from "./entities/api-key.js";

const MAX_KEY_LENGTH = 200;

export async function verifyApiKey(db: DataSource, key: string): Promise<Caller | undefined> {
  if (key.length > MAX_KEY_LENGTH) return undefined;
  const row = await db.getRepository(ApiKeyRow).findOneBy({ keyHash: hashSecret(key), revokedAt: IsNull() });
  return row ? { kind: "apiKey", keyId: row.id, circleId: row.circleId, scopes: row.scopes } : undefined;
}

/** Lets the other services check API keys without reading network's tables. */
export function mountApiKeyVerification(app: Express, db: DataSource): void {
  app.post(API_KEY_VERIFY_PATH, express.json({ limit: "2kb" }), async (request, response) => {
    const key = (request.body as { key?: unknown })?.key;
    if (typeof key !== "string") {
      response.status(400).json({ error: "body must be { key: string }" });
      return;
    }
    response.json({ caller: (await verifyApiKey(db, key)) ?? null });
  });
}
