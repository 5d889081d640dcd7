import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DefenseConfig } from "./config.js";
import { formatMasterKey, KEY_BYTES, parseMasterKeys, type MasterKeyring } from "./domain/sealing.js";

/**
 * The master keys, from DEFENSE_MASTER_KEYS, or (outside production, where the configuration refuses
 * to start without them) from a key file made on first use, as the token secret is kept, so
 * `npm start` and the tests need nothing set by hand and data stays readable across restarts.
 */
export function loadMasterKeyring(
  config: Pick<DefenseConfig, "DEFENSE_MASTER_KEYS" | "DEFENSE_KEY_FILE">,
): MasterKeyring {
  const text = config.DEFENSE_MASTER_KEYS ?? readOrCreateKeyFile(config.DEFENSE_KEY_FILE);
  const parsed = parseMasterKeys(text);
  if ("problem" in parsed) throw new Error(`Defense master keys: ${parsed.problem}.`);
  return parsed;
}

export function newMasterKey(): { id: string; key: Buffer } {
  return { id: `k${Date.now().toString(36)}${randomBytes(2).toString("hex")}`, key: randomBytes(KEY_BYTES) };
}

function readOrCreateKeyFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const { id, key } = newMasterKey();
  try {
    // Exclusive create: two processes starting together agree on the one key that won.
    writeFileSync(file, `${formatMasterKey(id, key)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readFileSync(file, "utf8");
}

/** Puts a new current key in front of the key file's keys (development rotation); returns its id. */
export function prependKeyToFile(file: string): string {
  const existing = readOrCreateKeyFile(file);
  const { id, key } = newMasterKey();
  writeFileSync(file, `${formatMasterKey(id, key)}\n${existing}`, { mode: 0o600 });
  return id;
}
