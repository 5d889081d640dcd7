import { hash, verify } from "@node-rs/argon2";

/** argon2id with the library's defaults (19 MiB, 2 passes), as OWASP recommends. */
export function hashPassphrase(passphrase: string): Promise<string> {
  return hash(passphrase);
}

export function passphraseMatches(passphraseHash: string, passphrase: string): Promise<boolean> {
  return verify(passphraseHash, passphrase);
}

let decoyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so a wrong handle cannot be told from a wrong passphrase. */
export async function spendPassphraseCheckTime(passphrase: string): Promise<void> {
  decoyHash ??= hashPassphrase("decoy passphrase that matches nothing");
  await passphraseMatches(await decoyHash, passphrase);
}
