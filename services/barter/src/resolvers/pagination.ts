import { badInput, decodeCursor, encodeCursor, isUuid } from "@rhizome/kit";

/** Position in a list ordered newest first by (instant, id). */
export interface NewestFirstCursor {
  at: Date;
  id: string;
}

export function encodeNewestFirstCursor(at: Date, id: string): string {
  return encodeCursor([at.toISOString(), id]);
}

export function decodeNewestFirstCursor(after: string | null | undefined): NewestFirstCursor | undefined {
  const values = decodeCursor(after, 2);
  if (!values) return undefined;
  const at = new Date(String(values[0]));
  const id = String(values[1]);
  if (Number.isNaN(at.getTime()) || !isUuid(id)) throw badInput("The cursor is not one this API gave out; start again without it.");
  return { at, id };
}
