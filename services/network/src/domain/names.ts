export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** The prefix of the handles left members get; nobody may choose one. */
export const LEFT_HANDLE_PREFIX = "left-";
export const HANDLE_PATTERN = /^(?!left-)[\p{L}\p{N}_.-]{2,32}$/iu;
export const MIN_PASSPHRASE_LENGTH = 12;
export const MAX_PASSPHRASE_LENGTH = 200;
export const MIN_CIRCLE_NAME_LENGTH = 2;
export const MAX_CIRCLE_NAME_LENGTH = 80;

/** The handle a member who left is given: random, so the circle's history cannot be linked to them. */
export function tombstoneHandle(randomHex: string): string {
  return `${LEFT_HANDLE_PREFIX}${randomHex}`;
}
