import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export const TOKEN_SECRET_BYTES = 32;
const TOKEN_SECRET_FILE = "token-secret";

/** A fresh secret for signing tokens (43 characters). */
export function randomTokenSecret(): string {
  return randomBytes(TOKEN_SECRET_BYTES).toString("base64url");
}

/** The secret kept in the data folder, so tokens stay valid across restarts; made on first use. */
export async function readOrCreateTokenSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, TOKEN_SECRET_FILE);
  const existing = await readFile(file, "utf8").catch(() => "");
  if (existing.trim() !== "") return existing.trim();
  const secret = randomTokenSecret();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
