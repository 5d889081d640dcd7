import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { persistedOperationId } from "@rhizome/kit/auth";
import { APP_BUILD_DIRECTORY } from "./serve-app.js";

/** The file the app's build writes beside the page: every operation the app sends, by id. */
export const APP_OPERATIONS_FILE = "persisted-operations.json";

/**
 * The member app's operations, registered with the gateway at start-up: the app sends only their
 * ids (`documentId`), so it works unchanged where the gateway runs nothing but registered
 * operations. An id that is not the SHA-256 of its text is refused, so the manifest cannot smuggle
 * in an operation under another's id.
 */
export function loadAppOperations(buildDirectory = APP_BUILD_DIRECTORY): Map<string, string> {
  const file = path.join(buildDirectory, APP_OPERATIONS_FILE);
  if (!existsSync(file)) return new Map();
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  for (const [id, document] of Object.entries(manifest)) {
    if (persistedOperationId(document) !== id)
      throw new Error(`${file}: operation ${id} is not the SHA-256 of its text; rebuild the app (npm run build).`);
  }
  return new Map(Object.entries(manifest));
}
