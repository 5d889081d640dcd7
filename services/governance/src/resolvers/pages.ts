import {
  decodeInstantCursor,
  instantSortKey,
  pageSize,
  toPage,
  type InstantCursor,
  type Page,
  type PageArgs,
} from "@rhizome/kit";

/**
 * One page of a list read newest first by an instant and the id (the kit's pagination contract): reads
 * one row more than the page to know whether another page follows, and maps the rows to the page type.
 */
export async function newestFirstPage<Row extends { id: string }, Item, PageType extends Page<Item>>(
  pageType: new () => PageType,
  page: PageArgs,
  read: (after: InstantCursor | undefined, limit: number) => Promise<Row[]>,
  instantOf: (row: Row) => Date,
  toItem: (row: Row) => Item,
): Promise<PageType> {
  const limit = pageSize(page.first);
  const rows = await read(decodeInstantCursor(page.after), limit + 1);
  const sortKey = (row: Row) => instantSortKey(instantOf(row), row.id);
  return Object.assign(new pageType(), toPage(rows, limit, sortKey, toItem));
}
