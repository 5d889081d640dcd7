import type { EntityManager } from "typeorm";

/** A data source or a transaction's manager: anything that runs SQL. */
export type Queryable = Pick<EntityManager, "query">;

/** A page of one circle's list: `limit` rows after the cursor (the store fetches one more to tell if there is a next page). */
export interface CirclePageKey<Cursor> {
  circleId: string;
  limit: number;
  after: Cursor | undefined;
}

/** The rows a lateral page query returned, grouped back by the key they were asked for (column `n`, 1-based). */
export function groupByKeyIndex<Raw extends { n: string | number }, Row>(keyCount: number, raws: Raw[], toRow: (raw: Raw) => Row): Row[][] {
  const pages: Row[][] = Array.from({ length: keyCount }, () => []);
  for (const raw of raws) pages[Number(raw.n) - 1].push(toRow(raw));
  return pages;
}
