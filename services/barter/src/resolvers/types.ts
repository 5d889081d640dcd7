import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageOf } from "@rhizome/kit";
import { exchangeStatuses, MAX_EXCHANGE_MINUTES, type ExchangeStatus } from "../domain/exchanges.js";
import { listingKinds, type ListingKind } from "../domain/listings.js";

export const ListingKindEnum = Object.fromEntries(listingKinds.map((k) => [k, k])) as { [K in ListingKind]: K };
registerEnumType(ListingKindEnum, { name: "ListingKind", description: "OFFER: what a member can give. REQUEST: what a member needs." });

export const ExchangeStatusEnum = Object.fromEntries(exchangeStatuses.map((s) => [s, s])) as { [S in ExchangeStatus]: S };
registerEnumType(ExchangeStatusEnum, {
  name: "ExchangeStatus",
  description: "PENDING until the other party confirms or declines, or the proposer cancels; EXPIRED when the cycle ends first.",
});

/** network owns Circle; barter adds its fields to it. */
@Directive('@key(fields: "id")')
@ObjectType("Circle")
export class BarterCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; barter adds the member's balance. */
@Directive('@key(fields: "id")')
@ObjectType("Member")
export class BarterMember {
  @Field(() => ID) id!: string;
}

export function circleRef(id: string): BarterCircle {
  return Object.assign(new BarterCircle(), { id });
}

export function memberRef(id: string): BarterMember {
  return Object.assign(new BarterMember(), { id });
}

@ObjectType({ description: "A member's time-credit balance in their circle. 60 minutes = 1 hour = 1 credit." })
export class BarterBalance {
  @Field(() => Int, { description: "Positive: the circle owes you time. Negative: you owe the circle time." }) minutes!: number;
  @Field(() => Int) floorMinutes!: number;
  @Field(() => Int) ceilingMinutes!: number;
  @Field(() => String, { description: "The lunar cycle in progress; balances return to zero when it ends." }) cycle!: string;
}

@ObjectType({ description: "A circle's bounds on every member balance." })
export class BarterSettings {
  @Field(() => Int, { description: "Lowest balance allowed, in minutes (zero or below)." }) floorMinutes!: number;
  @Field(() => Int, { description: "Highest balance allowed, in minutes (zero or above)." }) ceilingMinutes!: number;
}

@ObjectType({ description: "What one expiry of a circle's balances did." })
export class BarterExpiryRun {
  @Field(() => String, { description: "The cycle whose balances expired." }) cycle!: string;
  @Field(() => Date) finishedAt!: Date;
  @Field(() => Int) accountsExpired!: number;
  @Field(() => Int) creditsExpiredMinutes!: number;
  @Field(() => Int) debtsAnnulledMinutes!: number;
}

@ObjectType({ description: "When balances next return to zero, and what the last expiry did." })
export class BarterExpiry {
  @Field(() => Date, { description: "The next new moon; expiry runs then." }) nextRunAt!: Date;
  @Field(() => BarterExpiryRun, { nullable: true }) lastRun!: BarterExpiryRun | null;
}

@ObjectType({ description: "A cycle's barter, anonymized: any figure that would describe fewer than 5 people is null." })
export class BarterCycleSummary {
  @Field(() => String) cycle!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => Boolean, { description: "Whether the cycle has ended; only closed cycles are public." }) isClosed!: boolean;
  @Field(() => Int, { nullable: true }) minutesExchanged!: number | null;
  @Field(() => Int, { nullable: true }) exchangeCount!: number | null;
  @Field(() => Int, { nullable: true, description: "Members who gave or received time." }) participantCount!: number | null;
  @Field(() => [String]) mostRequestedSkills!: string[];
  @Field(() => [String]) mostOfferedSkills!: string[];
  @Field(() => [String], { description: "Offered by more members than request them." }) skillsInSurplus!: string[];
  @Field(() => [String], { description: "Requested by more members than offer them." }) skillsInDeficit!: string[];
  @Field(() => Int, { nullable: true, description: "Null until the cycle's expiry has run, or when fewer than 5 members had credits." })
  creditsExpiredMinutes!: number | null;
  @Field(() => Int, { nullable: true, description: "Null until the cycle's expiry has run, or when fewer than 5 members had debts." })
  debtsAnnulledMinutes!: number | null;
}

@ObjectType({ description: "An offer or a request, tagged by skill. Visible to the circle's members." })
export class Listing {
  @Field(() => ID) id!: string;
  @Field(() => BarterCircle) circle!: BarterCircle;
  @Field(() => BarterMember, { description: "Who published it." }) member!: BarterMember;
  @Field(() => ListingKindEnum) kind!: ListingKind;
  @Field(() => [String], { description: "Normalised skill tags, e.g. `bike-repair`." }) skills!: string[];
  @Field(() => String) description!: string;
  @Field(() => Date) publishedAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => Date, { nullable: true }) withdrawnAt!: Date | null;
}

@ObjectType()
export class ListingPage extends PageOf(Listing) {}

@ObjectType({ description: "Hours given by one member to another. Credits move only when the other party confirms." })
export class Exchange {
  @Field(() => ID) id!: string;
  @Field(() => BarterCircle) circle!: BarterCircle;
  @Field(() => BarterMember, { description: "Gave the time; credited on confirmation." }) provider!: BarterMember;
  @Field(() => BarterMember, { description: "Received the time; debited on confirmation." }) receiver!: BarterMember;
  @Field(() => BarterMember, { description: "Who proposed it; the other party confirms." }) proposer!: BarterMember;
  @Field(() => Int, { description: `1 to ${MAX_EXCHANGE_MINUTES}.` }) minutes!: number;
  @Field(() => String) skill!: string;
  @Field(() => String) note!: string;
  @Field(() => ExchangeStatusEnum) status!: ExchangeStatus;
  @Field(() => Date) proposedAt!: Date;
  @Field(() => String, { description: "The cycle it was proposed in; a pending proposal lapses when it ends." }) proposedCycle!: string;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
}

@ObjectType()
export class ExchangePage extends PageOf(Exchange) {}
