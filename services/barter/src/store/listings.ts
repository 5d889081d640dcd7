import type { DataSource } from "typeorm";
import { badInput, isUuid } from "@rhizome/kit";
import { MAX_OPEN_LISTINGS_PER_MEMBER, type ListingKind } from "../domain/listings.js";
import { ListingRow } from "../entities/listing.js";
import { lockActingAccount } from "./accounts.js";
import { tellRequestOpened, tellRequestsClosed } from "./request-events.js";

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

/**
 * Publishes a listing unless the member already has MAX_OPEN_LISTINGS_PER_MEMBER open ones.
 * The member's account row is locked FOR UPDATE before counting, so concurrent publishes by one
 * member queue there and each counts what the previous one committed: the cap holds under load.
 */
export async function publishListing(db: DataSource, listing: NewListing, now: Date): Promise<ListingRow> {
  return db.transaction(async (manager) => {
    await lockActingAccount(manager, listing.circleId, listing.memberId, now, "update");
    const [{ count }]: Array<{ count: string }> = await manager.query(
      `SELECT count(*) FROM listings WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL`,
      [listing.circleId, listing.memberId],
    );
    if (Number(count) >= MAX_OPEN_LISTINGS_PER_MEMBER) {
      throw badInput(`You have ${MAX_OPEN_LISTINGS_PER_MEMBER} open listings, the most allowed; withdraw one first.`);
    }
    const [inserted]: Array<{ id: string }> = await manager.query(
      `INSERT INTO listings (circle_id, member_id, kind, skills, description, published_at, updated_at, is_visible_to_sisters)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
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
    const published = await manager.getRepository(ListingRow).findOneByOrFail({ id: inserted.id });
    await tellRequestOpened(manager, published, now);
    return published;
  });
}

/** The listing with this id, or undefined; an id that is not a UUID names nothing and never reaches Postgres. */
export async function findListing(db: DataSource, listingId: string): Promise<ListingRow | undefined> {
  if (!isUuid(listingId)) return undefined;
  return (await db.getRepository(ListingRow).findOneBy({ id: listingId })) ?? undefined;
}

/** Changes an open listing; undefined when it was withdrawn meanwhile. */
export async function editOpenListing(
  db: DataSource,
  listingId: string,
  changes: { skills: string[]; description: string },
  now: Date,
): Promise<ListingRow | undefined> {
  return db.transaction(async (manager) => {
    const [before]: Array<{ skills: string[] }> = await manager.query(
      `SELECT skills FROM listings WHERE id = $1 AND withdrawn_at IS NULL FOR UPDATE`,
      [listingId],
    );
    if (!before) return undefined;
    await manager.query(`UPDATE listings SET skills = $2, description = $3, updated_at = $4 WHERE id = $1`, [
      listingId,
      changes.skills,
      changes.description,
      now,
    ]);
    const edited = await manager.getRepository(ListingRow).findOneByOrFail({ id: listingId });
    if (before.skills.join(",") !== edited.skills.join(",")) await tellRequestOpened(manager, edited, now);
    return edited;
  });
}

/** Withdraws an open listing; undefined when it was withdrawn already. */
export async function withdrawOpenListing(
  db: DataSource,
  listingId: string,
  now: Date,
): Promise<ListingRow | undefined> {
  return db.transaction(async (manager) => {
    const [rows]: [Array<{ id: string; circle_id: string; kind: string }>, number] = await manager.query(
      `UPDATE listings SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL RETURNING id, circle_id, kind`,
      [listingId, now],
    );
    if (rows.length !== 1) return undefined;
    await tellRequestsClosed(manager, rows, now);
    return manager.getRepository(ListingRow).findOneByOrFail({ id: listingId });
  });
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
export async function searchOpenListings(db: DataSource, search: ListingSearch): Promise<SearchedListing[]> {
  const featured = "(l.skills && CAST(:featuredSkills AS text[]))::int";
  const query = db
    .getRepository(ListingRow)
    .createQueryBuilder("l")
    .addSelect(featured, "featured")
    .where("l.circleId = :circleId AND l.withdrawnAt IS NULL", {
      circleId: search.circleId,
      featuredSkills: search.featuredSkills,
    })
    .orderBy(featured, "DESC")
    .addOrderBy("l.publishedAt", "DESC")
    .addOrderBy("l.id", "DESC")
    .limit(search.limit);
  if (search.kind) query.andWhere("l.kind = :kind", { kind: search.kind });
  if (search.skill !== undefined) query.andWhere("l.skills @> ARRAY[:skill]::text[]", { skill: search.skill });
  if (search.text !== undefined)
    query.andWhere("l.document @@ websearch_to_tsquery('simple', :text)", { text: search.text });
  if (search.after) query.andWhere(`(${featured}, l.publishedAt, l.id) < (:featured, :at, :id)`, search.after);
  const { entities, raw } = await query.getRawAndEntities<{ featured: number }>();
  return entities.map((entity, index) => Object.assign(entity, { featured: Number(raw[index].featured) }));
}
