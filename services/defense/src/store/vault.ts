import { randomBytes } from "node:crypto";
import { changedCount, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import {
  formatOf,
  KEY_BYTES,
  keyedTag,
  memberPseudonym,
  type PseudonymPurpose,
  LEGACY_FORMAT,
  legacyAssociatedData,
  ROW_BOUND_FORMAT,
  rowBoundAssociatedData,
  SealingError,
  sealText,
  unsealText,
  unwrapDataKey,
  wrapDataKey,
  type MasterKeyring,
} from "../domain/sealing.js";
import { loadMasterKeyring } from "../master-keys.js";

/** What a sealed value is, bound into its ciphertext: a contact detail does not open as a note. */
export type SealPurpose = "alert-text" | "contact" | "webhook-secret" | "case-note" | "fund-reason" | "dispute-summary";

const MAX_CACHED_DATA_KEYS = 10_000;

/** A circle's data key as stored: wrapped by the master key of that id; re-sealed once every value is bound to its row. */
interface DataKeyRow {
  masterKeyId: string;
  wrappedKey: Buffer;
  resealedAt: Date | null;
}
const DATA_KEY_COLUMNS = `master_key_id, wrapped_key, resealed_at`;

/** Every sealed column, with the purpose its values are sealed for; the row is the table's `id`. */
export const SEALED_COLUMNS: ReadonlyArray<{ table: string; column: string; purpose: SealPurpose }> = [
  { table: "alerts", column: "text_sealed", purpose: "alert-text" },
  { table: "responders", column: "contact_sealed", purpose: "contact" },
  { table: "webhooks", column: "secret_sealed", purpose: "webhook-secret" },
  { table: "case_notes", column: "text_sealed", purpose: "case-note" },
  { table: "disbursement_requests", column: "reason_sealed", purpose: "fund-reason" },
  { table: "disputes", column: "summary_sealed", purpose: "dispute-summary" },
  { table: "housing_pledges", column: "contact_sealed", purpose: "contact" },
  { table: "housing_requests", column: "contact_sealed", purpose: "contact" },
];

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

  /** Seals a value of row `rowId`: it opens only as that purpose, in that circle, in that row. */
  async seal(
    db: Queryable,
    circleId: string,
    purpose: SealPurpose,
    rowId: string,
    text: string,
    now: Date,
  ): Promise<Buffer> {
    return sealText(
      await this.dataKey(db, circleId, now),
      text,
      rowBoundAssociatedData(purpose, circleId, rowId),
      ROW_BOUND_FORMAT,
    );
  }

  /**
   * Opens a value of row `rowId`. A value sealed before rows were bound opens only while its circle
   * has not been re-sealed (the sweep re-seals every circle once); after that it is refused, so an
   * old ciphertext cannot be put into another row.
   */
  async open(db: Queryable, circleId: string, purpose: SealPurpose, rowId: string, sealed: Buffer): Promise<string> {
    const { key, isResealed } = await this.dataKeyOf(db, circleId);
    if (formatOf(sealed) === LEGACY_FORMAT) {
      if (isResealed)
        throw new SealingError(
          "A value sealed before rows were bound was found after its circle was re-sealed: it was moved or restored.",
        );
      return unsealText(key, sealed, legacyAssociatedData(purpose, circleId));
    }
    return unsealText(key, sealed, rowBoundAssociatedData(purpose, circleId, rowId));
  }

  /** A keyed tag of `text` under the circle's data key (see keyedTag); made with the key when `now` is given. */
  async tag(db: Queryable, circleId: string, text: string, now?: Date): Promise<Buffer> {
    return keyedTag(await this.dataKey(db, circleId, now), text);
  }

  /** A member's pseudonym for an event of `cycle` (see memberPseudonym); made with the key when `now` is given. */
  async pseudonym(
    db: Queryable,
    circleId: string,
    purpose: PseudonymPurpose,
    cycle: string,
    memberId: string,
    now?: Date,
  ): Promise<string> {
    return memberPseudonym(await this.dataKey(db, circleId, now), purpose, cycle, memberId);
  }

  /** The circle's data key; made (when `now` is given) if the circle has none yet. */
  async dataKey(db: Queryable, circleId: string, now?: Date): Promise<Buffer> {
    return (await this.dataKeyOf(db, circleId, now)).key;
  }

  /** The circle's data key and whether its values have all been re-sealed bound to their rows. */
  async dataKeyOf(db: Queryable, circleId: string, now?: Date): Promise<{ key: Buffer; isResealed: boolean }> {
    let row = await sqlRow<DataKeyRow>(db, `SELECT ${DATA_KEY_COLUMNS} FROM data_keys WHERE circle_id = $1`, [
      circleId,
    ]);
    if (!row) {
      if (!now) throw new Error(`Circle ${circleId} has no data key, so nothing of it is sealed.`);
      const { masterKeyId, wrapped } = wrapDataKey(this.keyring, circleId, randomBytes(KEY_BYTES));
      // A new circle has nothing sealed the old way: it counts as re-sealed from the start.
      await db.query(
        `INSERT INTO data_keys (circle_id, master_key_id, wrapped_key, created_at, resealed_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING`,
        [circleId, masterKeyId, wrapped, now],
      );
      row = await sqlRow<DataKeyRow>(db, `SELECT ${DATA_KEY_COLUMNS} FROM data_keys WHERE circle_id = $1`, [circleId]);
      if (!row) throw new Error(`Circle ${circleId}'s data key was not written.`);
    }
    return { key: this.unwrapped(circleId, row), isResealed: row.resealedAt !== null };
  }

  private unwrapped(circleId: string, row: { masterKeyId: string; wrappedKey: Buffer }): Buffer {
    const cacheKey = `${circleId}:${row.wrappedKey.toString("base64")}`;
    const cached = this.dataKeys.get(cacheKey);
    if (cached) return cached;
    const dataKey = unwrapDataKey(this.masterKey(row.masterKeyId), circleId, row.wrappedKey);
    if (this.dataKeys.size >= MAX_CACHED_DATA_KEYS) this.dataKeys.clear();
    this.dataKeys.set(cacheKey, dataKey);
    return dataKey;
  }

  /**
   * Re-seals, bound to their rows, every value of one circle sealed before rows were bound, and
   * marks the circle re-sealed, in the caller's transaction (the data key's row is locked, so two
   * workers do not both re-seal it). Returns how many values were re-sealed.
   */
  async resealCircle(db: Queryable, circleId: string, now: Date): Promise<number> {
    const row = await sqlRow<DataKeyRow>(
      db,
      `SELECT ${DATA_KEY_COLUMNS} FROM data_keys WHERE circle_id = $1 FOR UPDATE`,
      [circleId],
    );
    if (!row || row.resealedAt) return 0;
    const key = this.unwrapped(circleId, row);
    let resealed = 0;
    for (const { table, column, purpose } of SEALED_COLUMNS) {
      const legacy = await sqlRows<{ id: string; sealed: Buffer }>(
        db,
        `SELECT id, ${column} AS sealed FROM ${table} WHERE circle_id = $1 AND get_byte(${column}, 0) = ${LEGACY_FORMAT}`,
        [circleId],
      );
      for (const value of legacy) {
        const text = unsealText(key, value.sealed, legacyAssociatedData(purpose, circleId));
        await db.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [
          value.id,
          sealText(key, text, rowBoundAssociatedData(purpose, circleId, value.id), ROW_BOUND_FORMAT),
        ]);
        resealed += 1;
      }
    }
    await db.query(`UPDATE data_keys SET resealed_at = $2 WHERE circle_id = $1`, [circleId, now]);
    return resealed;
  }

  /** A master key by id; an unknown id reloads the keys once (a rotation made while this process ran). */
  masterKey(id: string): Buffer {
    let key = this.keyring.keys.get(id);
    if (!key) {
      this.keyring = this.loadKeyring();
      key = this.keyring.keys.get(id);
    }
    if (!key)
      throw new Error(
        `Master key "${id}" is not configured; add it to DEFENSE_MASTER_KEYS (after the current one) to read data wrapped under it.`,
      );
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
      const rows = await sqlRows<{ circleId: string; masterKeyId: string; wrappedKey: Buffer }>(
        db,
        `SELECT circle_id, master_key_id, wrapped_key FROM data_keys WHERE master_key_id <> $1 ORDER BY circle_id LIMIT $2`,
        [this.keyring.currentId, batchSize],
      );
      if (rows.length === 0) return rewrapped;
      for (const row of rows) {
        const dataKey = unwrapDataKey(this.masterKey(row.masterKeyId), row.circleId, row.wrappedKey);
        const { masterKeyId, wrapped } = wrapDataKey(this.keyring, row.circleId, dataKey);
        // Only if nobody re-wrapped it meanwhile: two rotations running at once cannot lose a key.
        const changed = await changedCount(
          db,
          `UPDATE data_keys SET master_key_id = $2, wrapped_key = $3, rewrapped_at = $4 WHERE circle_id = $1 AND wrapped_key = $5`,
          [row.circleId, masterKeyId, wrapped, now, row.wrappedKey],
        );
        rewrapped += changed;
      }
    }
  }
}

/** Circles whose sealed values are not all bound to their rows yet, a batch at a time. */
export async function circlesToReseal(db: Queryable, limit: number): Promise<string[]> {
  const rows = await sqlRows<{ circleId: string }>(
    db,
    `SELECT circle_id FROM data_keys WHERE resealed_at IS NULL ORDER BY circle_id LIMIT $1`,
    [limit],
  );
  return rows.map((row) => row.circleId);
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
