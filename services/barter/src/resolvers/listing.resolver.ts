import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { badInput, conflict, forbidden, membershipIn, notFound, pageSize, requireMembership } from "@rhizome/kit";
import { MAX_OPEN_LISTINGS_PER_MEMBER, MAX_SEARCH_TEXT_LENGTH, normaliseDescription } from "../domain/listings.js";
import { normaliseSkill, normaliseSkills, STARTER_SKILLS } from "../domain/skills.js";
import { ListingRow } from "../entities/listing.js";
import { openMemberAccount } from "../store/accounts.js";
import type { BarterContext } from "../context.js";
import { EditListingInput, ListingSearchArgs, PublishListingInput } from "./inputs.js";
import { toListing } from "./mappers.js";
import { decodeNewestFirstCursor, encodeNewestFirstCursor } from "./pagination.js";
import { BarterCircle, Listing, ListingPage } from "./types.js";

const NO_SUCH_LISTING = "No listing with that id in your circles.";

function skillsOrThrow(raw: string[]): string[] {
  const result = normaliseSkills(raw);
  if ("problem" in result) throw badInput(result.problem);
  return result.skills;
}

function descriptionOrThrow(raw: string): string {
  const result = normaliseDescription(raw);
  if ("problem" in result) throw badInput(result.problem);
  return result.description;
}

/** The caller's own open listing, or an error: NOT_FOUND outside their circles, FORBIDDEN for someone else's. */
async function ownOpenListing(context: BarterContext, listingId: string): Promise<ListingRow> {
  const row = await context.db.getRepository(ListingRow).findOneBy({ id: listingId });
  const membership = row && membershipIn(context.caller, row.circleId);
  if (!row || !membership) throw notFound(NO_SUCH_LISTING);
  if (row.memberId !== membership.memberId) throw forbidden("Only the member who published a listing can change or withdraw it.");
  if (row.withdrawnAt) throw conflict("This listing was withdrawn; publish a new one instead.");
  return row;
}

@Resolver(() => Listing)
export class ListingResolver {
  @Query(() => [String], { description: "Common skills to suggest to members; any other tag is allowed too." })
  barterStarterSkills(): string[] {
    return [...STARTER_SKILLS];
  }

  @Mutation(() => Listing, { description: "Publishes what you can give (OFFER) or what you need (REQUEST). Members only." })
  async publishListing(@Arg("input", () => PublishListingInput) input: PublishListingInput, @Ctx() context: BarterContext): Promise<Listing> {
    const membership = requireMembership(context.caller, input.circleId);
    const skills = skillsOrThrow(input.skills);
    const description = descriptionOrThrow(input.description);
    const now = context.clock();
    const row = await context.db.transaction(async (manager) => {
      await openMemberAccount(manager, input.circleId, membership.memberId, now);
      const [{ count }]: Array<{ count: string }> = await manager.query(`SELECT count(*) FROM listings WHERE member_id = $1 AND withdrawn_at IS NULL`, [
        membership.memberId,
      ]);
      if (Number(count) >= MAX_OPEN_LISTINGS_PER_MEMBER) {
        throw badInput(`You have ${MAX_OPEN_LISTINGS_PER_MEMBER} open listings, the most allowed; withdraw one first.`);
      }
      const repository = manager.getRepository(ListingRow);
      const [inserted]: Array<{ id: string }> = await manager.query(
        `INSERT INTO listings (circle_id, member_id, kind, skills, description, published_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
        [input.circleId, membership.memberId, input.kind, skills, description, now],
      );
      return repository.findOneByOrFail({ id: inserted.id });
    });
    return toListing(row);
  }

  @Mutation(() => Listing, { description: "Changes the skills or description of your own open listing." })
  async editListing(@Arg("input", () => EditListingInput) input: EditListingInput, @Ctx() context: BarterContext): Promise<Listing> {
    const row = await ownOpenListing(context, input.listingId);
    const skills = input.skills == null ? row.skills : skillsOrThrow(input.skills);
    const description = input.description == null ? row.description : descriptionOrThrow(input.description);
    await context.db.query(`UPDATE listings SET skills = $2, description = $3, updated_at = $4 WHERE id = $1 AND withdrawn_at IS NULL`, [
      row.id,
      skills,
      description,
      context.clock(),
    ]);
    return toListing(await context.db.getRepository(ListingRow).findOneByOrFail({ id: row.id }));
  }

  @Mutation(() => Listing, { description: "Withdraws your own listing; it stays in the cycle's anonymized summary." })
  async withdrawListing(@Arg("listingId", () => ID) listingId: string, @Ctx() context: BarterContext): Promise<Listing> {
    const row = await ownOpenListing(context, listingId);
    await context.db.query(`UPDATE listings SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL`, [row.id, context.clock()]);
    return toListing(await context.db.getRepository(ListingRow).findOneByOrFail({ id: row.id }));
  }
}

@Resolver(() => BarterCircle)
export class CircleListingsResolver {
  @FieldResolver(() => ListingPage, { description: "Open offers and requests, newest first, filtered by kind, skill and words. Members only." })
  async listings(@Root() circle: BarterCircle, @Args(() => ListingSearchArgs) args: ListingSearchArgs, @Ctx() context: BarterContext): Promise<ListingPage> {
    requireMembership(context.caller, circle.id);
    const limit = pageSize(args.first);
    const cursor = decodeNewestFirstCursor(args.after);
    const query = context.db
      .getRepository(ListingRow)
      .createQueryBuilder("l")
      .where("l.circleId = :circleId AND l.withdrawnAt IS NULL", { circleId: circle.id })
      .orderBy("l.publishedAt", "DESC")
      .addOrderBy("l.id", "DESC")
      .limit(limit + 1);
    if (args.kind) query.andWhere("l.kind = :kind", { kind: args.kind });
    if (args.skill != null) {
      const skill = normaliseSkill(args.skill);
      if ("problem" in skill) throw badInput(skill.problem);
      query.andWhere("l.skills @> ARRAY[:skill]::text[]", { skill: skill.skill });
    }
    if (args.text != null && args.text.trim() !== "") {
      const text = args.text.trim();
      if (text.length > MAX_SEARCH_TEXT_LENGTH) throw badInput(`Search text is at most ${MAX_SEARCH_TEXT_LENGTH} characters; got ${text.length}.`);
      query.andWhere("l.document @@ websearch_to_tsquery('simple', :text)", { text });
    }
    if (cursor) query.andWhere("(l.publishedAt, l.id) < (:at, :id)", cursor);
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return Object.assign(new ListingPage(), {
      items: page.map(toListing),
      nextCursor: rows.length > limit && last ? encodeNewestFirstCursor(last.publishedAt, last.id) : null,
    });
  }
}
