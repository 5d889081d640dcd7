import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { ArrayMaxSize, IsUUID, MaxLength } from "class-validator";
import { PageArgs } from "@rhizome/kit";
import { MAX_EXCHANGE_MINUTES, MAX_EXCHANGE_NOTE_LENGTH, MAX_IDEMPOTENCY_KEY_LENGTH } from "../domain/exchanges.js";
import { MAX_LISTING_DESCRIPTION_LENGTH, MAX_SEARCH_TEXT_LENGTH, type ListingKind } from "../domain/listings.js";
import { MAX_SKILL_LENGTH, MAX_SKILLS_PER_LISTING } from "../domain/skills.js";
import { ExchangeStatusEnum, ListingKindEnum } from "./types.js";
import type { ExchangeStatus } from "../domain/exchanges.js";

// Shapes are checked here; the rules (with messages that state each limit) live in src/domain.
// Raw lengths get a generous outer bound so a huge string is refused before it is normalised.
const RAW_TEXT_LIMIT = 2_000;
const circleIdRule = IsUUID("all", { message: "circleId must be a circle's id" });

@InputType()
export class PublishListingInput {
  @Field(() => ID) @circleIdRule circleId!: string;
  @Field(() => ListingKindEnum) kind!: ListingKind;
  @Field(() => [String], {
    description: `1 to ${MAX_SKILLS_PER_LISTING} skills of up to ${MAX_SKILL_LENGTH} characters; normalised to e.g. \`bike-repair\`.`,
  })
  @ArrayMaxSize(MAX_SKILLS_PER_LISTING * 4)
  @MaxLength(RAW_TEXT_LIMIT, { each: true })
  skills!: string[];
  @Field(() => String, { description: `Up to ${MAX_LISTING_DESCRIPTION_LENGTH} characters.` })
  @MaxLength(RAW_TEXT_LIMIT)
  description!: string;
  @Field(() => Boolean, {
    nullable: true,
    description: "Show it to members of active sister circles too, without saying who published it. Default false.",
  })
  visibleToSisters?: boolean | null;
}

@InputType()
export class EditListingInput {
  @Field(() => ID) @IsUUID("all", { message: "listingId must be a listing's id" }) listingId!: string;
  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(MAX_SKILLS_PER_LISTING * 4)
  @MaxLength(RAW_TEXT_LIMIT, { each: true })
  skills?: string[] | null;
  @Field(() => String, { nullable: true }) @MaxLength(RAW_TEXT_LIMIT) description?: string | null;
}

@ArgsType()
export class ListingSearchArgs extends PageArgs {
  @Field(() => ListingKindEnum, { nullable: true }) kind?: ListingKind | null;
  @Field(() => String, { nullable: true, description: "Only listings with this skill (normalised like a tag)." })
  @MaxLength(RAW_TEXT_LIMIT)
  skill?: string | null;
  @Field(() => String, {
    nullable: true,
    description: `Words to find in the description and skills; up to ${MAX_SEARCH_TEXT_LENGTH} characters.`,
  })
  @MaxLength(RAW_TEXT_LIMIT)
  text?: string | null;
}

@InputType()
export class ProposeExchangeInput {
  @Field(() => ID, { description: "The circle both parties belong to." }) @circleIdRule circleId!: string;
  @Field(() => ID) @IsUUID("all", { message: "providerMemberId must be a member's id" }) providerMemberId!: string;
  @Field(() => ID) @IsUUID("all", { message: "receiverMemberId must be a member's id" }) receiverMemberId!: string;
  @Field(() => Int, { description: `Minutes given, 1 to ${MAX_EXCHANGE_MINUTES}.` }) minutes!: number;
  @Field(() => String) @MaxLength(RAW_TEXT_LIMIT) skill!: string;
  @Field(() => String, { nullable: true, description: `Up to ${MAX_EXCHANGE_NOTE_LENGTH} characters.` })
  @MaxLength(RAW_TEXT_LIMIT)
  note?: string | null;
  @Field(() => String, {
    nullable: true,
    description: `Up to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters. Retrying with the same key returns the exchange the first attempt made.`,
  })
  @MaxLength(RAW_TEXT_LIMIT)
  idempotencyKey?: string | null;
}

@ArgsType()
export class ExchangeListArgs extends PageArgs {
  @Field(() => ID) @circleIdRule circleId!: string;
  @Field(() => ExchangeStatusEnum, { nullable: true }) status?: ExchangeStatus | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Only those of one lunar cycle (its label: the UTC date of its new moon, as `Exchange.proposedCycle`); every cycle by default. A pending exchange lapses when its cycle ends, so a cycle's confirmed exchanges are the hours that moved in it.",
  })
  cycle?: string | null;
}

@InputType()
export class BarterLimitsInput {
  @Field(() => ID) @circleIdRule circleId!: string;
  @Field(() => Int, { description: "Zero or below, in minutes." }) floorMinutes!: number;
  @Field(() => Int, { description: "Zero or above, in minutes." }) ceilingMinutes!: number;
}

@InputType()
export class ProposeSisterLinkInput {
  @Field(() => ID, { description: "Your circle." }) @circleIdRule circleId!: string;
  @Field(() => ID, { description: "The circle to link with." })
  @IsUUID("all", { message: "sisterCircleId must be a circle's id" })
  sisterCircleId!: string;
  @Field(() => Int, {
    description: "How far the balance of trade between the two circles may go either way within a cycle, in minutes.",
  })
  balanceLimitMinutes!: number;
}

@InputType()
export class ProposeSisterExchangeInput {
  @Field(() => ID, { description: "Your circle." }) @circleIdRule circleId!: string;
  @Field(() => ID, { description: "A listing a member of a sister circle showed to sisters." })
  @IsUUID("all", { message: "listingId must be a listing's id" })
  listingId!: string;
  @Field(() => Int, { description: `Minutes given, 1 to ${MAX_EXCHANGE_MINUTES}.` }) minutes!: number;
  @Field(() => String, { nullable: true, description: "One of the listing's skills; its first by default." })
  @MaxLength(RAW_TEXT_LIMIT)
  skill?: string | null;
  @Field(() => String, { nullable: true, description: `Up to ${MAX_EXCHANGE_NOTE_LENGTH} characters.` })
  @MaxLength(RAW_TEXT_LIMIT)
  note?: string | null;
  @Field(() => String, {
    nullable: true,
    description: `Up to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters. Retrying with the same key returns the sister exchange the first attempt made, as for \`proposeExchange\`.`,
  })
  @MaxLength(RAW_TEXT_LIMIT)
  idempotencyKey?: string | null;
}

@ArgsType()
export class SisterExchangeListArgs extends PageArgs {
  @Field(() => ID) @circleIdRule circleId!: string;
}

@ArgsType()
export class SisterTradeArgs {
  @Field(() => ID) @circleIdRule circleId!: string;
  @Field(() => ID) @IsUUID("all", { message: "sisterCircleId must be a circle's id" }) sisterCircleId!: string;
  @Field(() => String, { nullable: true, description: "A cycle label; the current cycle by default." })
  @MaxLength(RAW_TEXT_LIMIT)
  cycle?: string | null;
}

@InputType()
export class SetCycleThemeInput {
  @Field(() => ID) @circleIdRule circleId!: string;
  @Field(() => String, {
    nullable: true,
    description: "The current cycle's label or the next one's; the current cycle by default.",
  })
  @MaxLength(RAW_TEXT_LIMIT)
  cycle?: string | null;
  @Field(() => String, { description: 'In your own words, e.g. "food sovereignty", "repair", "childcare".' })
  @MaxLength(RAW_TEXT_LIMIT)
  theme!: string;
  @Field(() => [String], { description: `1 to ${MAX_SKILLS_PER_LISTING} skills the theme features.` })
  @ArrayMaxSize(MAX_SKILLS_PER_LISTING * 4)
  @MaxLength(RAW_TEXT_LIMIT, { each: true })
  skills!: string[];
}

@InputType()
export class AnnounceSkillShareInput {
  @Field(() => ID) @circleIdRule circleId!: string;
  @Field(() => String) @MaxLength(RAW_TEXT_LIMIT) skill!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => String, { description: "Block level at most: a geohash of up to 6 characters." })
  @MaxLength(RAW_TEXT_LIMIT)
  placeGeohash!: string;
  @Field(() => Int) capacity!: number;
  @Field(() => Int, { description: "Minutes each attendee's exchange with you records." }) minutes!: number;
}
