import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { ListingKind } from "../domain/listings.js";
import { tellRequestOpened, tellRequestsClosed } from "./request-events.js";

/** What a member can give (OFFER) or needs (REQUEST), tagged by skill. */
export interface ListingRow {
  id: string;
  circleId: string;
  memberId: string;
  kind: ListingKind;
  skills: string[];
  description: string;
  publishedAt: Date;
  updatedAt: Date;
  withdrawnAt: Date | null;
  /** Shown, without the member behind it, to members of the circle's active sister circles. */
  isVisibleToSisters: boolean;
}

const LISTING_COLUMNS = `id, circle_id, member_id, kind, skills, description, published_at, updated_at, withdrawn_at, is_visible_to_sisters`;

export interface NewListing {
  circleId: string;
  memberId: string;
  kind: ListingKind;
  /** Already normalised (domain/skills.ts). */
  skills: string[];
  description: string;
  /** Shown to members of active sister circles too; default false. */
  isVisibleToSisters?: boolean;
}

/** How many listings a member has open. Lock their account first for a count that must hold (the cap). */
export async function countOpenListings(tx: Queryable, circleId: string, memberId: string): Promise<number> {
  const row = await sqlRow<{ count: number }>(
    tx,
    `SELECT count(*)::int AS count FROM listings WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL`,
    [circleId, memberId],
  );
  return row?.count ?? 0;
}

/** Publishes a listing; an open request is told to sovereignty's board (request.opened). */
export async function insertListing(tx: Queryable, listing: NewListing, now: Date): Promise<ListingRow> {
  const published = await sqlRow<ListingRow>(
    tx,
    `INSERT INTO listings (circle_id, member_id, kind, skills, description, published_at, updated_at, is_visible_to_sisters)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING ${LISTING_COLUMNS}`,
    [
      listing.circleId,
      listing.memberId,
      listing.kind,
      listing.skills,
      listing.description,
      now,
      listing.isVisibleToSisters ?? false,
    ],
  );
  if (!published) throw new Error(`Inserting a listing answered no row.`);
  await tellRequestOpened(tx, published, now);
  return published;
}

/** The listing with this id, or undefined (the id must be a UUID). */
export function findListing(db: Queryable, listingId: string): Promise<ListingRow | undefined> {
  return sqlRow<ListingRow>(db, `SELECT ${LISTING_COLUMNS} FROM listings WHERE id = $1`, [listingId]);
}

/** The listing, locked for the rest of the transaction, or undefined (the id must be a UUID). */
export function lockListing(tx: Queryable, listingId: string): Promise<ListingRow | undefined> {
  return sqlRow<ListingRow>(tx, `SELECT ${LISTING_COLUMNS} FROM listings WHERE id = $1 FOR UPDATE`, [listingId]);
}

/** Changes a listing the caller holds locked; a request whose skills changed is told to the board again. */
export async function updateListing(
  tx: Queryable,
  before: ListingRow,
  changes: { skills: string[]; description: string },
  now: Date,
): Promise<ListingRow> {
  const edited = await sqlRow<ListingRow>(
    tx,
    `UPDATE listings SET skills = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING ${LISTING_COLUMNS}`,
    [before.id, changes.skills, changes.description, now],
  );
  if (!edited) throw new Error(`Listing ${before.id} vanished while it was locked.`);
  if (before.skills.join(",") !== edited.skills.join(",")) await tellRequestOpened(tx, edited, now);
  return edited;
}

/** Withdraws a listing the caller holds locked; a request is a need no longer (request.closed). */
export async function withdrawListing(tx: Queryable, listingId: string, now: Date): Promise<ListingRow> {
  const withdrawn = await sqlRow<ListingRow>(
    tx,
    `UPDATE listings SET withdrawn_at = $2 WHERE id = $1 RETURNING ${LISTING_COLUMNS}`,
    [listingId, now],
  );
  if (!withdrawn) throw new Error(`Listing ${listingId} vanished while it was locked.`);
  await tellRequestsClosed(tx, [withdrawn], now);
  return withdrawn;
}

export interface ListingSearch {
  circleId: string;
  kind?: ListingKind | null;
  /** A normalised skill tag. */
  skill?: string;
  /** Words to find, already trimmed and bounded. */
  text?: string;
  after?: FeaturedCursor;
  /** The current cycle's theme's skills: listings with any of them come first. */
  featuredSkills: string[];
  /** Rows to return: a page size plus one, to tell whether a next page exists. */
  limit: number;
}

/** Position in a list of listings: featured first (1, then 0), then newest first. */
export interface FeaturedCursor {
  featured: number;
  at: Date;
  id: string;
}

/** A listing with whether it features in the cycle's theme. */
export type SearchedListing = ListingRow & { featured: number };

/** A circle's open listings: those with a skill the cycle's theme features first, then newest first. */
export function searchOpenListings(db: Queryable, search: ListingSearch): Promise<SearchedListing[]> {
  const featured = "(skills && $2::text[])::int";
  return sqlRows<SearchedListing>(
    db,
    `SELECT ${LISTING_COLUMNS}, ${featured} AS featured FROM listings
     WHERE circle_id = $1 AND withdrawn_at IS NULL
       AND ($3::text IS NULL OR kind = $3)
       AND ($4::text IS NULL OR skills @> ARRAY[$4::text])
       AND ($5::text IS NULL OR document @@ websearch_to_tsquery('simple', $5))
       AND ($6::int IS NULL OR (${featured}, published_at, id) < ($6, $7::timestamptz, $8::uuid))
     ORDER BY ${featured} DESC, published_at DESC, id DESC LIMIT $9`,
    [
      search.circleId,
      search.featuredSkills,
      search.kind ?? null,
      search.skill ?? null,
      search.text ?? null,
      search.after?.featured ?? null,
      search.after?.at ?? null,
      search.after?.id ?? null,
      search.limit,
    ],
  );
}
