import { PERSISTED_OPERATION_LOOKUP_PATH, type Caller } from "@rhizome/kit";
import type { Express } from "express";
import express from "express";
import type { DataSource } from "typeorm";
import { verifyApiKey } from "./api-key-verification.js";
import { findPersistedOperation } from "./store/persisted-operations.js";

const HASH = /^[0-9a-f]{64}$/;

/**
 * Lets the gateway find a trusted document by its hash for the caller: an API key sees its
 * circle's and the hub-wide ones, anyone else the hub-wide ones. Under /internal, so the kit
 * requires a service credential.
 */
export function mountPersistedOperationLookup(app: Express, db: DataSource, tokenSecret: string): void {
  app.post(PERSISTED_OPERATION_LOOKUP_PATH, express.json({ limit: "2kb" }), async (request, response) => {
    const { hash, apiKey } = (request.body ?? {}) as { hash?: unknown; apiKey?: unknown };
    if (typeof hash !== "string" || !HASH.test(hash) || (apiKey !== undefined && typeof apiKey !== "string")) {
      response.status(400).json({ error: "body must be { hash: sha256 hex, apiKey?: string }" });
      return;
    }
    const caller: Caller | undefined = apiKey ? await verifyApiKey(db, tokenSecret, apiKey) : undefined;
    const circleId = caller?.kind === "apiKey" ? caller.circleId : null;
    response.json({ document: (await findPersistedOperation(db, circleId, hash)) ?? null });
  });
}
