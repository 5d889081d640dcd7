import type { Queryable } from "@rhizome/kit";
import type { DefenseConfig } from "./config.js";
import { prependKeyToFile } from "./master-keys.js";
import { vaultOf } from "./store/vault.js";

/**
 * Rotates the master key without downtime. With DEFENSE_MASTER_KEYS the operator has already put
 * the new key first (and rolled it out, old keys kept after it); without it (development) a new key
 * is put in front of the key file. Then every circle's data key is re-wrapped under the current
 * key; notes and other sealed values are not touched, and stay readable throughout, since running
 * services still hold the old key and reload the file on an unknown key id.
 */
export async function rotateMasterKey(
  db: Queryable,
  config: DefenseConfig,
  now: Date,
): Promise<{ currentKeyId: string; rewrapped: number }> {
  if (!config.DEFENSE_MASTER_KEYS) prependKeyToFile(config.DEFENSE_KEY_FILE);
  const vault = vaultOf(config);
  const rewrapped = await vault.rewrapDataKeys(db, now);
  return { currentKeyId: vault.currentMasterKeyId, rewrapped };
}
