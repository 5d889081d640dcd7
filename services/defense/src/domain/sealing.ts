import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM, the one way defense keeps a secret at rest. A sealed value is
 * [format 1 byte][iv 12 bytes][tag 16 bytes][ciphertext]. The associated data binds it to where it
 * belongs (circle and purpose), so a ciphertext copied into another row or circle does not open.
 */
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class SealingError extends Error {
  override name = "SealingError";
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  if (key.length !== KEY_BYTES) throw new SealingError(`A key is ${KEY_BYTES} bytes, not ${key.length}.`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), ciphertext]);
}

export function unseal(key: Buffer, sealed: Buffer, associatedData: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT) throw new SealingError("Not a sealed value of a known format.");
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

export const sealText = (key: Buffer, text: string, associatedData: string) => seal(key, Buffer.from(text, "utf8"), associatedData);
export const unsealText = (key: Buffer, sealed: Buffer, associatedData: string) => unseal(key, sealed, associatedData).toString("utf8");

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
  const parts = text.split(/[,\n]/).map((part) => part.trim()).filter((part) => part.length > 0 && !part.startsWith("#"));
  for (const [index, part] of parts.entries()) {
    const position = index + 1;
    const separator = part.search(/[:\s]/);
    const id = separator > 0 ? part.slice(0, separator) : "";
    const key = Buffer.from(part.slice(separator + 1).trim(), "base64");
    if (!KEY_ID_PATTERN.test(id)) return { problem: `master key ${position} needs an id (letters, digits, . _ -) before its key` };
    if (key.length !== KEY_BYTES) return { problem: `master key ${position} must be ${KEY_BYTES} bytes in base64 after its id` };
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
export function wrapDataKey(keyring: MasterKeyring, circleId: string, dataKey: Buffer): { masterKeyId: string; wrapped: Buffer } {
  const master = keyring.keys.get(keyring.currentId)!;
  return { masterKeyId: keyring.currentId, wrapped: seal(master, dataKey, `data-key:${circleId}`) };
}

export function unwrapDataKey(master: Buffer, circleId: string, wrapped: Buffer): Buffer {
  return unseal(master, wrapped, `data-key:${circleId}`);
}
