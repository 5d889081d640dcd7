import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * AES-256-GCM, the one way defense keeps a secret at rest. A sealed value is
 * [format 1 byte][iv 12 bytes][tag 16 bytes][ciphertext]. The associated data binds it to where it
 * belongs: format 2 binds circle, purpose and the row's id, so a ciphertext copied into another
 * row, row kind or circle does not open. Format 1 (circle and purpose only) is what values sealed
 * before rows were bound carry; they open only until their circle has been re-sealed.
 */
export const LEGACY_FORMAT = 1;
export const ROW_BOUND_FORMAT = 2;
const FORMATS = new Set([LEGACY_FORMAT, ROW_BOUND_FORMAT]);
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class SealingError extends Error {
  override name = "SealingError";
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string, format = LEGACY_FORMAT): Buffer {
  if (key.length !== KEY_BYTES) throw new SealingError(`A key is ${KEY_BYTES} bytes, not ${key.length}.`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([format]), iv, cipher.getAuthTag(), ciphertext]);
}

export function unseal(key: Buffer, sealed: Buffer, associatedData: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || !FORMATS.has(sealed[0]))
    throw new SealingError("Not a sealed value of a known format.");
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealingError("A sealed value did not open: wrong key, or it was altered or moved.");
  }
}

export const sealText = (key: Buffer, text: string, associatedData: string, format = LEGACY_FORMAT) =>
  seal(key, Buffer.from(text, "utf8"), associatedData, format);
export const unsealText = (key: Buffer, sealed: Buffer, associatedData: string) =>
  unseal(key, sealed, associatedData).toString("utf8");

/** The format byte of a sealed value. */
export const formatOf = (sealed: Buffer): number => sealed[0];

/** Where a value sealed in the row-bound format belongs: its purpose, circle and row. */
export const rowBoundAssociatedData = (purpose: string, circleId: string, rowId: string) =>
  `${purpose}:${circleId}:${rowId}`;
/** Where a value sealed before rows were bound belongs: its purpose and circle. */
export const legacyAssociatedData = (purpose: string, circleId: string) => `${purpose}:${circleId}`;

/** The derivation label of the tags that recognise a caller (an alert's raiser). */
const TAG_LABEL = "rhizome defense tags";

/**
 * A keyed tag of a text (HMAC-SHA256 under a key derived from the circle's data key): lets the hub
 * recognise a value it is shown again (is this caller the alert's raiser?) without storing the
 * value, and nobody without the key can test guesses against it.
 */
export function keyedTag(dataKey: Buffer, text: string, label: string = TAG_LABEL): Buffer {
  const tagKey = Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), label, KEY_BYTES));
  return createHmac("sha256", tagKey).update(text, "utf8").digest();
}

/**
 * Who a pseudonym sent to the hub stands for. Each purpose derives its own key from the circle's
 * data key, so a pseudonym of one purpose never matches another's, nor a tag the hub stores.
 */
export const pseudonymLabels = {
  /** The member a crisis buffered helped (a disbursement's recipient). */
  helpedPerson: "rhizome defense pseudonym: person helped",
  /** The member who opened a dispute that was mediated. */
  disputeOpener: "rhizome defense pseudonym: dispute opener",
  /** A party a mediated dispute names (by the pseudonym the opener gave it, see disputePartyId). */
  disputeParty: "rhizome defense pseudonym: dispute party",
} as const;

/**
 * What a dispute's party is known by for its pseudonym: the name the opener gave it, trimmed,
 * lower-cased and with its spaces collapsed, so "The upstairs flat" in two disputes of a circle is
 * one person in a cycle's count.
 */
export function disputePartyId(party: string): string {
  return `party:${party.trim().replace(/\s+/g, " ").toLowerCase()}`;
}

export type PseudonymPurpose = keyof typeof pseudonymLabels;

/**
 * A pseudonym of a member for the hub's events (hex, 64 characters): the same for the same member
 * within a circle and cycle, different across cycles and purposes, and unlinkable to the member id
 * by anyone without the circle's data key (an HMAC under a key derived from it). Consumers count
 * distinct people by it; they can neither recover nor test a member id against it.
 */
export function memberPseudonym(dataKey: Buffer, purpose: PseudonymPurpose, cycle: string, memberId: string): string {
  return keyedTag(dataKey, `${cycle}:${memberId}`, pseudonymLabels[purpose]).toString("hex");
}

export function tagsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Master keys by id; `currentId` wraps every new or re-wrapped data key. */
export interface MasterKeyring {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * Parses `id:base64,id:base64` (first current), or states what is wrong. A problem names a key by
 * its position, never by its id or its bytes: a key pasted where its id belongs would otherwise be
 * printed as "the id".
 */
export function parseMasterKeys(text: string): MasterKeyring | { problem: string } {
  const keys = new Map<string, Buffer>();
  const positionOfId = new Map<string, number>();
  const parts = text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && !part.startsWith("#"));
  for (const [index, part] of parts.entries()) {
    const position = index + 1;
    const separator = part.search(/[:\s]/);
    const id = separator > 0 ? part.slice(0, separator) : "";
    const key = Buffer.from(part.slice(separator + 1).trim(), "base64");
    if (!KEY_ID_PATTERN.test(id))
      return { problem: `master key ${position} needs an id (letters, digits, . _ -) before its key` };
    if (key.length !== KEY_BYTES)
      return { problem: `master key ${position} must be ${KEY_BYTES} bytes in base64 after its id` };
    const earlier = positionOfId.get(id);
    if (earlier !== undefined) return { problem: `master keys ${earlier} and ${position} have the same id` };
    positionOfId.set(id, position);
    keys.set(id, key);
  }
  if (keys.size === 0) return { problem: "no master key given" };
  return { currentId: parts[0].split(/[:\s]/)[0], keys };
}

export function formatMasterKey(id: string, key: Buffer): string {
  return `${id}:${key.toString("base64")}`;
}

/** A data key wrapped under the current master key, with that key's id. */
export function wrapDataKey(
  keyring: MasterKeyring,
  circleId: string,
  dataKey: Buffer,
): { masterKeyId: string; wrapped: Buffer } {
  const master = keyring.keys.get(keyring.currentId)!;
  return { masterKeyId: keyring.currentId, wrapped: seal(master, dataKey, `data-key:${circleId}`) };
}

export function unwrapDataKey(master: Buffer, circleId: string, wrapped: Buffer): Buffer {
  return unseal(master, wrapped, `data-key:${circleId}`);
}
