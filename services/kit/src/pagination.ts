import { badInput } from "./errors.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Checks a client's page size against the limit, with an error that states the limit. */
export function pageSize(requested: number | undefined | null, max = MAX_PAGE_SIZE): number {
  const size = requested ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw badInput(`Page size must be between 1 and ${max}; got ${size}.`);
  }
  return size;
}

export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined | null, arity: number): Array<string | number> | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through to the error below
  }
  throw badInput("The cursor is not one this API gave out; start again without it.");
}
