import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { DefenseConfig } from "../config.js";
import { KEY_BYTES, sealText, unsealText, unwrapDataKey, wrapDataKey, type MasterKeyring } from "../domain/sealing.js";
import { loadMasterKeyring } from "../master-keys.js";

type Queryable = Pick<EntityManager, "query">;

/** What a sealed value is, bound into its ciphertext: a contact detail does not open as a note. */
export type SealPurpose = "alert-text" | "contact" | "webhook-secret" | "case-note" | "fund-reason" | "dispute-summary";

const MAX_CACHED_DATA_KEYS = 10_000;

/**
 * Seals and opens a circle's secrets with its data key, made on first use and kept wrapped by the
 * current master key in `data_keys`. Unwrapped data keys are cached in memory by their wrapped form,
 * so a re-wrap after rotation is simply a miss.
 */
export class Vault {
  private keyring: MasterKeyring;
  private readonly dataKeys = new Map<string, Buffer>();

  constructor(private readonly loadKeyring: () => MasterKeyring) {
    this.keyring = loadKeyring();
  }

  get currentMasterKeyId(): string {
    return this.keyring.currentId;
  }

  async seal(db: Queryable, circleId: string, purpose: SealPurpose, text: string, now: Date): Promise<Buffer> {
    return sealText(await this.dataKey(db, circleId, now), text, `${purpose}:${circleId}`);
  }

  async open(db: Queryable, circleId: string, purpose: SealPurpose, sealed: Buffer): Promise<string> {
    return unsealText(await this.dataKey(db, circleId), sealed, `${purpose}:${circleId}`);
  }

  /** The circle's data key; made (when `now` is given) if the circle has none yet. */
  async dataKey(db: Queryable, circleId: string, now?: Date): Promise<Buffer> {
    let [row]: Array<{ master_key_id: string; wrapped_key: Buffer }> = await db.query(`SELECT master_key_id, wrapped_key FROM data_keys WHERE circle_id = $1`, [circleId]);
    if (!row) {
      if (!now) throw new Error(`Circle ${circleId} has no data key, so nothing of it is sealed.`);
      const { masterKeyId, wrapped } = wrapDataKey(this.keyring, circleId, randomBytes(KEY_BYTES));
      await db.query(`INSERT INTO data_keys (circle_id, master_key_id, wrapped_key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [circleId, masterKeyId, wrapped, now]);
      [row] = await db.query(`SELECT master_key_id, wrapped_key FROM data_keys WHERE circle_id = $1`, [circleId]);
    }
    const cacheKey = `${circleId}:${row.wrapped_key.toString("base64")}`;
    const cached = this.dataKeys.get(cacheKey);
    if (cached) return cached;
    const dataKey = unwrapDataKey(this.masterKey(row.master_key_id), circleId, row.wrapped_key);
    if (this.dataKeys.size >= MAX_CACHED_DATA_KEYS) this.dataKeys.clear();
    this.dataKeys.set(cacheKey, dataKey);
    return dataKey;
  }

  /** A master key by id; an unknown id reloads the keys once (a rotation made while this process ran). */
  masterKey(id: string): Buffer {
    let key = this.keyring.keys.get(id);
    if (!key) {
      this.keyring = this.loadKeyring();
      key = this.keyring.keys.get(id);
    }
    if (!key) throw new Error(`Master key "${id}" is not configured; add it to DEFENSE_MASTER_KEYS (after the current one) to read data wrapped under it.`);
    return key;
  }

  /**
   * Re-wraps every data key not under the current master key, a batch at a time; the notes and
   * other sealed values are untouched, since their data keys do not change. Returns how many.
   */
  async rewrapDataKeys(db: Queryable, now: Date, batchSize = 500): Promise<number> {
    this.keyring = this.loadKeyring();
    let rewrapped = 0;
    for (;;) {
      const rows: Array<{ circle_id: string; master_key_id: string; wrapped_key: Buffer }> = await db.query(
        `SELECT circle_id, master_key_id, wrapped_key FROM data_keys WHERE master_key_id <> $1 ORDER BY circle_id LIMIT $2`,
        [this.keyring.currentId, batchSize],
      );
      if (rows.length === 0) return rewrapped;
      for (const row of rows) {
        const dataKey = unwrapDataKey(this.masterKey(row.master_key_id), row.circle_id, row.wrapped_key);
        const { masterKeyId, wrapped } = wrapDataKey(this.keyring, row.circle_id, dataKey);
        // Only if nobody re-wrapped it meanwhile: two rotations running at once cannot lose a key.
        const [, changed]: [unknown, number] = await db.query(
          `UPDATE data_keys SET master_key_id = $2, wrapped_key = $3, rewrapped_at = $4 WHERE circle_id = $1 AND wrapped_key = $5`,
          [row.circle_id, masterKeyId, wrapped, now, row.wrapped_key],
        );
        rewrapped += changed;
      }
    }
  }
}

const vaults = new WeakMap<object, Vault>();

/** The one vault of a running service (its configuration object is the key). */
export function vaultOf(config: DefenseConfig): Vault {
  let vault = vaults.get(config);
  if (!vault) {
    vault = new Vault(() => loadMasterKeyring(config));
    vaults.set(config, vault);
  }
  return vault;
}
