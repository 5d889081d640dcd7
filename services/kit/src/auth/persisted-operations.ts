import { createHash } from "node:crypto";

/** Network's internal endpoint where the gateway finds a trusted document by its hash. */
export const PERSISTED_OPERATION_LOOKUP_PATH = "/internal/persisted-operations/lookup";
export const MAX_PERSISTED_OPERATION_CHARS = 20_000;

/** A trusted document's id: the SHA-256 of its exact text, in hex (what clients send as documentId). */
export function persistedOperationId(document: string): string {
  return createHash("sha256").update(document).digest("hex");
}
