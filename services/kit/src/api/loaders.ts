import DataLoader from "dataloader";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else names nothing, and is never sent to Postgres as a uuid. */
export const isUuid = (value: string) => UUID_PATTERN.test(value);

/**
 * A per-request DataLoader of rows by a UUID key: one query for every key asked for in the same
 * tick, so a list of 500 entities is one query, not 500. Keys that are not UUIDs load as undefined.
 */
export function loaderByUuid<Row>(
  keyOf: (row: Row) => string,
  load: (keys: string[]) => Promise<Row[]>,
): DataLoader<string, Row | undefined> {
  return new DataLoader<string, Row | undefined>(async (keys) => {
    const validKeys = keys.filter(isUuid);
    const rows = validKeys.length > 0 ? await load(validKeys) : [];
    const found = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => found.get(key));
  });
}
