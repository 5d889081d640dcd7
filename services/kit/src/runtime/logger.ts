import { pino, type Logger } from "pino";

export type { Logger };

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * Fields that may hold a secret or something a member typed: never written, at any level. A
 * database error carries the statement's parameters and the offending values (`detail`), so those
 * go too, and so does an invalid URL error's `input` (the whole URL, password included).
 */
const PRIVATE_FIELDS = [
  "passphrase",
  "password",
  "token",
  "refreshToken",
  "authorization",
  "cookie",
  "apiKey",
  "key",
  "inviteCode",
  "secret",
  "variables",
  "query",
  "body",
  "parameters",
  "detail",
  "driverError",
  "headers",
  "input",
];

export const REDACTED = "[private]";

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...PRIVATE_FIELDS, ...PRIVATE_FIELDS.map((field) => `*.${field}`)], censor: REDACTED },
  });
}
