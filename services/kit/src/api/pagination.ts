import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { Max, Min } from "class-validator";
import { badInput } from "../runtime/errors.js";
import { isUuid } from "./loaders.js";

/**
 * One pagination contract for every list in the hub: `field(first: Int, after: String)` returns
 * `{ items, nextCursor }`. The cursor is opaque (base64url of the sort key of the last item);
 * `nextCursor` is null on the last page.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * Tells the gateway's cost limits the real size of a page (`first`, else the default) instead of
 * a guess. Put it on every field that returns a page: `@Directive(PAGE_LIST_SIZE)`.
 */
export const PAGE_LIST_SIZE = `@listSize(assumedSize: ${DEFAULT_PAGE_SIZE}, slicingArguments: ["first"], sizedFields: ["items"], requireOneSlicingArgument: false)`;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items, 1 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}.`,
  })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: "The nextCursor of the previous page." })
  after?: string;
}

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** The GraphQL page type of an item type: `@ObjectType() class ToolPage extends PageOf(Tool) {}`. */
export function PageOf<Item extends object>(itemType: ClassType<Item>) {
  @ObjectType()
  abstract class PageType implements Page<Item> {
    @Field(() => [itemType]) items!: Item[];
    @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null on the last page." })
    nextCursor!: string | null;
  }
  return PageType;
}

/** Checks a client's page size against the limit, with an error that states the limit. */
export function pageSize(requested: number | undefined | null, max = MAX_PAGE_SIZE): number {
  const size = requested ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw badInput(`Page size must be between 1 and ${max}; got ${size}.`);
  }
  return size;
}

/**
 * Cuts rows fetched with `limit + 1` into a page: the extra row only says there is a next page.
 * `sortKeyOf` gives the values the list is ordered by, ending with a unique one.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  sortKeyOf: (row: Row) => Array<string | number>,
  map: (row: Row) => Item,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: rows.length > limit && last ? encodeCursor(sortKeyOf(last)) : null };
}

export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

const NOT_OUR_CURSOR = "The cursor is not one this API gave out; start again without it.";

export function decodeCursor(cursor: string | undefined | null, arity: number): Array<string | number> | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === "string" || typeof v === "number")
    )
      return values;
  } catch {
    // fall through to the error below
  }
  throw badInput(NOT_OUR_CURSOR);
}

/** Position in a list ordered by (instant, id), e.g. newest first. */
export interface InstantCursor {
  at: Date;
  id: string;
}

export const instantSortKey = (at: Date, id: string): [string, string] => [at.toISOString(), id];

export function decodeInstantCursor(after: string | null | undefined): InstantCursor | undefined {
  const values = decodeCursor(after, 2);
  if (!values) return undefined;
  const at = new Date(String(values[0]));
  const id = String(values[1]);
  if (Number.isNaN(at.getTime()) || !isUuid(id)) throw badInput(NOT_OUR_CURSOR);
  return { at, id };
}

/** Position in a list ordered by one unique text (a slug, a lower-cased handle). */
export function decodeTextCursor(after: string | null | undefined): string | undefined {
  const values = decodeCursor(after, 1);
  return values && String(values[0]);
}
