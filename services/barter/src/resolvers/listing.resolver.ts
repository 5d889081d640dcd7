import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  conflict,
  cycleContaining,
  decodeCursor,
  forbidden,
  isUuid,
  instantSortKey,
  PAGE_LIST_SIZE,
  pageSize,
  requireMembership,
  requireOwnedRow,
  toPage,
  Disclose,
} from "@rhizome/kit";
import { MAX_SEARCH_TEXT_LENGTH, normaliseDescription } from "../domain/listings.js";
import { normaliseSkill, normaliseSkills, STARTER_SKILLS } from "../domain/skills.js";
import type { ListingRow } from "../entities/listing.js";
import {
  editOpenListing,
  findListing,
  publishListing,
  searchOpenListings,
  withdrawOpenListing,
  type FeaturedCursor,
} from "../store/listings.js";
import { themesOf } from "../store/themes.js";
import type { BarterContext } from "../context.js";
import { EditListingInput, ListingSearchArgs, PublishListingInput } from "./inputs.js";
import { toListing } from "./mappers.js";
import { BarterCircle, Listing, ListingPage } from "./types.js";

const NO_SUCH_LISTING = "No listing with that id in your circles.";
const WITHDRAWN = "This listing was withdrawn; publish a new one instead.";

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

/** The caller's own open listing, or an error: NOT_FOUND outside their circles (or for a malformed id), FORBIDDEN for someone else's. */
async function ownOpenListing(context: BarterContext, listingId: string): Promise<ListingRow> {
  const { row, membership } = requireOwnedRow(
    context.caller,
    await findListing(context.db, listingId),
    NO_SUCH_LISTING,
  );
  if (row.memberId !== membership.memberId)
    throw forbidden("Only the member who published a listing can change or withdraw it.");
  if (row.withdrawnAt) throw conflict(WITHDRAWN);
  return row;
}

@Resolver(() => Listing)
export class ListingResolver {
  @Disclose("public")
  @Query(() => [String], { description: "Common skills to suggest to members; any other tag is allowed too." })
  barterStarterSkills(): string[] {
    return [...STARTER_SKILLS];
  }

  @Disclose("members")
  @Mutation(() => Listing, {
    description: "Publishes what you can give (OFFER) or what you need (REQUEST). Members only.",
  })
  async publishListing(
    @Arg("input", () => PublishListingInput) input: PublishListingInput,
    @Ctx() context: BarterContext,
  ): Promise<Listing> {
    const membership = requireMembership(context.caller, input.circleId);
    const skills = skillsOrThrow(input.skills);
    const description = descriptionOrThrow(input.description);
    const row = await publishListing(
      context.db,
      {
        circleId: input.circleId,
        memberId: membership.memberId,
        kind: input.kind,
        skills,
        description,
        isVisibleToSisters: input.visibleToSisters ?? false,
      },
      context.clock(),
    );
    return toListing(row);
  }

  @Disclose("members")
  @Mutation(() => Listing, { description: "Changes the skills or description of your own open listing." })
  async editListing(
    @Arg("input", () => EditListingInput) input: EditListingInput,
    @Ctx() context: BarterContext,
  ): Promise<Listing> {
    const row = await ownOpenListing(context, input.listingId);
    const skills = input.skills == null ? row.skills : skillsOrThrow(input.skills);
    const description = input.description == null ? row.description : descriptionOrThrow(input.description);
    const edited = await editOpenListing(context.db, row.id, { skills, description }, context.clock());
    if (!edited) throw conflict(WITHDRAWN);
    return toListing(edited);
  }

  @Disclose("members")
  @Mutation(() => Listing, { description: "Withdraws your own listing; it stays in the cycle's anonymized summary." })
  async withdrawListing(
    @Arg("listingId", () => ID) listingId: string,
    @Ctx() context: BarterContext,
  ): Promise<Listing> {
    const row = await ownOpenListing(context, listingId);
    const withdrawn = await withdrawOpenListing(context.db, row.id, context.clock());
    if (!withdrawn) throw conflict(WITHDRAWN);
    return toListing(withdrawn);
  }
}

function decodeFeaturedCursor(after: string | null | undefined): FeaturedCursor | undefined {
  const values = decodeCursor(after, 3);
  if (!values) return undefined;
  const [featured, at, id] = [Number(values[0]), new Date(String(values[1])), String(values[2])];
  if ((featured !== 0 && featured !== 1) || Number.isNaN(at.getTime()) || !isUuid(id))
    throw badInput("The cursor is not one this API gave out; start again without it.");
  return { featured, at, id };
}

@Resolver(() => BarterCircle)
export class CircleListingsResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @FieldResolver(() => ListingPage, {
    nullable: true,
    description:
      "Open offers and requests, filtered by kind, skill and words: those with a skill the cycle's theme features first, then newest first. Members only.",
  })
  async listings(
    @Root() circle: BarterCircle,
    @Args(() => ListingSearchArgs) args: ListingSearchArgs,
    @Ctx() context: BarterContext,
  ): Promise<ListingPage> {
    requireMembership(context.caller, circle.id);
    const limit = pageSize(args.first);
    const after = decodeFeaturedCursor(args.after);
    let skill: string | undefined;
    if (args.skill != null) {
      const normalised = normaliseSkill(args.skill);
      if ("problem" in normalised) throw badInput(normalised.problem);
      skill = normalised.skill;
    }
    const text = args.text?.trim() || undefined;
    if (text && text.length > MAX_SEARCH_TEXT_LENGTH)
      throw badInput(`Search text is at most ${MAX_SEARCH_TEXT_LENGTH} characters; got ${text.length}.`);
    const [theme] = await themesOf(context.db, [
      { circleId: circle.id, cycle: cycleContaining(context.clock()).label },
    ]);
    const rows = await searchOpenListings(context.db, {
      circleId: circle.id,
      kind: args.kind,
      skill,
      text,
      after,
      featuredSkills: theme?.skills ?? [],
      limit: limit + 1,
    });
    return Object.assign(
      new ListingPage(),
      toPage(rows, limit, (row) => [row.featured, ...instantSortKey(row.publishedAt, row.id)], toListing),
    );
  }
}
