import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  accepted,
  badInput,
  cycleContaining,
  decodeCursor,
  isUuid,
  instantSortKey,
  PAGE_LIST_SIZE,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import { editListing, withdrawOwnListing } from "../actions/change-listing.js";
import { publishListing } from "../actions/publish-listing.js";
import { MAX_SEARCH_TEXT_LENGTH } from "../domain/listings.js";
import { normaliseSkill, STARTER_SKILLS } from "../domain/skills.js";
import { searchOpenListings, type FeaturedCursor } from "../store/listings.js";
import { themesOf } from "../store/themes.js";
import type { BarterContext } from "../context.js";
import { EditListingInput, ListingSearchArgs, PublishListingInput } from "./inputs.js";
import { toListing } from "./mappers.js";
import { BarterCircle, Listing, ListingPage } from "./types.js";

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
    return toListing(await publishListing(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Listing, { description: "Changes the skills or description of your own open listing." })
  async editListing(
    @Arg("input", () => EditListingInput) input: EditListingInput,
    @Ctx() context: BarterContext,
  ): Promise<Listing> {
    return toListing(await editListing(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Listing, { description: "Withdraws your own listing; it stays in the cycle's anonymized summary." })
  async withdrawListing(
    @Arg("listingId", () => ID) listingId: string,
    @Ctx() context: BarterContext,
  ): Promise<Listing> {
    return toListing(await withdrawOwnListing(context, { listingId }));
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
    const skill = args.skill == null ? undefined : accepted<{ skill: string }>(normaliseSkill(args.skill)).skill;
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
