export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const HANDLE_PATTERN = /^[\p{L}\p{N}_.-]{2,32}$/u;
export const MIN_PASSPHRASE_LENGTH = 12;
export const MAX_PASSPHRASE_LENGTH = 200;
export const MIN_CIRCLE_NAME_LENGTH = 2;
export const MAX_CIRCLE_NAME_LENGTH = 80;
