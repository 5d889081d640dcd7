import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where `npm start` keeps Postgres, Redis and the token secret between runs. */
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, ".data");
