import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageOf, Disclose } from "@rhizome/kit";
import { exchangeStatuses, MAX_EXCHANGE_MINUTES, type ExchangeStatus } from "../domain/exchanges.js";
import { listingKinds, type ListingKind } from "../domain/listings.js";
import { sisterLinkStatuses, type SisterLinkStatus } from "../domain/sisters.js";

export const ListingKindEnum = Object.fromEntries(listingKinds.map((k) => [k, k])) as { [K in ListingKind]: K };
registerEnumType(ListingKindEnum, {
  name: "ListingKind",
  description: "OFFER: what a member can give. REQUEST: what a member needs.",
});

export const ExchangeStatusEnum = Object.fromEntries(exchangeStatuses.map((s) => [s, s])) as {
  [S in ExchangeStatus]: S;
};
registerEnumType(ExchangeStatusEnum, {
  name: "ExchangeStatus",
  description:
    "PENDING until the other party confirms or declines, or the proposer cancels; EXPIRED when the cycle ends first.",
});

/** network owns Circle; barter adds its fields to it. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Circle")
export class BarterCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; barter adds the member's balance. */
@Directive('@key(fields: "id")')
@Disclose("public")
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

@Disclose("self")
@ObjectType({ description: "A member's time-credit balance in their circle. 60 minutes = 1 hour = 1 credit." })
export class BarterBalance {
  @Field(() => Int, { description: "Positive: the circle owes you time. Negative: you owe the circle time." })
  minutes!: number;
  @Field(() => Int) floorMinutes!: number;
  @Field(() => Int) ceilingMinutes!: number;
  @Field(() => String, { description: "The lunar cycle in progress; balances return to zero when it ends." })
  cycle!: string;
  @Field(() => Date, { description: "When the cycle ends (the next new moon): the balance returns to zero then." })
  cycleEndsAt!: Date;
}

@Disclose("members")
@ObjectType({ description: "A circle's bounds on every member balance." })
export class BarterSettings {
  @Field(() => Int, { description: "Lowest balance allowed, in minutes (zero or below)." }) floorMinutes!: number;
  @Field(() => Int, { description: "Highest balance allowed, in minutes (zero or above)." }) ceilingMinutes!: number;
}

@Disclose("members")
@ObjectType({ description: "What one expiry of a circle's balances did." })
export class BarterExpiryRun {
  @Field(() => String, { description: "The cycle whose balances expired." }) cycle!: string;
  @Field(() => Date) finishedAt!: Date;
  @Field(() => Int) accountsExpired!: number;
  @Field(() => Int) creditsExpiredMinutes!: number;
  @Field(() => Int) debtsAnnulledMinutes!: number;
}

@Disclose("members")
@ObjectType({ description: "When balances next return to zero, and what the last expiry did." })
export class BarterExpiry {
  @Field(() => Date, { description: "The next new moon; expiry runs then." }) nextRunAt!: Date;
  @Field(() => BarterExpiryRun, { nullable: true }) lastRun!: BarterExpiryRun | null;
}

@Disclose("public")
@ObjectType({
  description: "A cycle's barter, anonymized: any figure that would describe fewer than 5 people is null.",
})
export class BarterCycleSummary {
  @Field(() => String) cycle!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => Boolean, { description: "Whether the cycle has ended; only closed cycles are public." })
  isClosed!: boolean;
  @Field(() => String, {
    description: "The label of the cycle before this one, to step back through a circle's history.",
  })
  previousCycle!: string;
  @Field(() => Int, { nullable: true }) minutesExchanged!: number | null;
  @Field(() => Int, { nullable: true }) exchangeCount!: number | null;
  @Field(() => Int, { nullable: true, description: "Members who gave or received time." }) participantCount!:
    number | null;
  @Field(() => [String]) mostRequestedSkills!: string[];
  @Field(() => [String]) mostOfferedSkills!: string[];
  @Field(() => [String], { description: "Offered by more members than request them." }) skillsInSurplus!: string[];
  @Field(() => [String], { description: "Requested by more members than offer them." }) skillsInDeficit!: string[];
  @Field(() => Int, {
    nullable: true,
    description: "Null until the cycle's expiry has run, or when fewer than 5 members had credits.",
  })
  creditsExpiredMinutes!: number | null;
  @Field(() => Int, {
    nullable: true,
    description: "Null until the cycle's expiry has run, or when fewer than 5 members had debts.",
  })
  debtsAnnulledMinutes!: number | null;
  @Field(() => String, { nullable: true, description: "The cycle's theme, when organizers set one." }) theme!:
    string | null;
  @Field(() => [String], { description: "The skills the theme features." }) themeSkills!: string[];
  @Field(() => Int, {
    nullable: true,
    description:
      "The theme's share of the cycle's hours, in percent; null when fewer than 5 members took part in its exchanges.",
  })
  themeSharePercent!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Minutes the circle's members gave to members of sister circles; null when fewer than 5 distinct members (of both circles) took part.",
  })
  minutesGivenToSisters!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Minutes the circle's members received from members of sister circles; null when fewer than 5 distinct members took part.",
  })
  minutesReceivedFromSisters!: number | null;
}

@Disclose("members")
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
  @Field(() => Boolean, { description: "Shown to members of active sister circles, without who published it." })
  visibleToSisters!: boolean;
}

@Disclose("public")
@ObjectType()
export class ListingPage extends PageOf(Listing) {}

@Disclose("members")
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
  @Field(() => String, { description: "The cycle it was proposed in; a pending proposal lapses when it ends." })
  proposedCycle!: string;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
}

@Disclose("public")
@ObjectType()
export class ExchangePage extends PageOf(Exchange) {}

export const SisterLinkStatusEnum = Object.fromEntries(sisterLinkStatuses.map((s) => [s, s])) as {
  [S in SisterLinkStatus]: S;
};
registerEnumType(SisterLinkStatusEnum, {
  name: "SisterLinkStatus",
  description:
    "PROPOSED until an organizer of the other circle accepts; ACTIVE; ENDING once either ends it, until the balance of trade is settled or the new moon; ENDED.",
});

@Disclose("members")
@ObjectType({ description: "Two circles that agreed to clear time credits between them (F5)." })
export class SisterLink {
  @Field(() => ID) id!: string;
  @Field(() => BarterCircle, { description: "The circle whose organizer proposed the link." })
  proposerCircle!: BarterCircle;
  @Field(() => BarterCircle, { description: "The circle whose organizer accepts it." }) accepterCircle!: BarterCircle;
  @Field(() => Int, { description: "How far the balance of trade may go either way within a cycle, in minutes." })
  balanceLimitMinutes!: number;
  @Field(() => SisterLinkStatusEnum) status!: SisterLinkStatus;
  @Field(() => Date) proposedAt!: Date;
  @Field(() => Date, { nullable: true }) acceptedAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
}

@Disclose("members")
@ObjectType({
  description: "An offer or request a member of a sister circle showed to sisters. Who published it is never shown.",
})
export class SisterListing {
  @Field(() => ID) id!: string;
  @Field(() => BarterCircle, { description: "The sister circle it comes from." }) circle!: BarterCircle;
  @Field(() => ListingKindEnum) kind!: ListingKind;
  @Field(() => [String]) skills!: string[];
  @Field(() => String) description!: string;
  @Field(() => Date) publishedAt!: Date;
}

@Disclose("public")
@ObjectType()
export class SisterListingPage extends PageOf(SisterListing) {}

export const SisterExchangeRoleEnum = { PROVIDER: "PROVIDER", RECEIVER: "RECEIVER" } as const;
registerEnumType(SisterExchangeRoleEnum, {
  name: "SisterExchangeRole",
  description: "Whether you give the time or receive it.",
});

/** network owns SisterCounterpart and resolves it for the exchange's two parties only; barter names it once both consented. */
@Directive('@key(fields: "id", resolvable: false)')
@Disclose("public")
@ObjectType("SisterCounterpart")
export class BarterSisterCounterpart {
  @Field(() => ID) id!: string;
}

@Disclose("members")
@ObjectType({
  description:
    "Hours between members of two sister circles. Your counterpart is named to you only once both of you consented (CONFIRMED).",
})
export class SisterExchange {
  @Field(() => ID) id!: string;
  @Field(() => BarterCircle, { description: "The sister circle on the other side." }) sisterCircle!: BarterCircle;
  @Field(() => ID, { description: "The sister listing it was proposed against." }) listingId!: string;
  @Field(() => SisterExchangeRoleEnum) role!: keyof typeof SisterExchangeRoleEnum;
  @Disclose("viewer")
  @Field(() => Boolean, { description: "Whether you proposed it; the other party confirms." })
  isProposedByYou!: boolean;
  @Field(() => Int) minutes!: number;
  @Field(() => String) skill!: string;
  @Field(() => String) note!: string;
  @Field(() => ExchangeStatusEnum) status!: ExchangeStatus;
  @Field(() => Date) proposedAt!: Date;
  @Field(() => String) proposedCycle!: string;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => BarterSisterCounterpart, {
    nullable: true,
    description:
      "The member of the sister circle on the other side, once both consented (CONFIRMED); null before, and for anyone but the two parties.",
  })
  counterpart!: BarterSisterCounterpart | null;
}

@Disclose("public")
@ObjectType()
export class SisterExchangePage extends PageOf(SisterExchange) {}

@Disclose("public")
@ObjectType({
  description:
    "Public: what two sister circles traded in a cycle. Every figure is null when fewer than 5 distinct members took part.",
})
export class SisterTrade {
  @Field(() => String) cycle!: string;
  @Field(() => Int, { nullable: true, description: "Minutes members of the first circle gave members of the second." })
  minutesGiven!: number | null;
  @Field(() => Int, { nullable: true, description: "Minutes members of the second circle gave members of the first." })
  minutesReceived!: number | null;
  @Field(() => Int, {
    nullable: true,
    description: "What the second circle owes the first; negative when the first owes the second.",
  })
  balanceMinutes!: number | null;
  @Field(() => Int, { nullable: true }) participantCount!: number | null;
}

@Disclose("members")
@ObjectType({
  description:
    "A cycle's theme: the skills it features are shown first among listings, and the summary reports their share of hours.",
})
export class CycleTheme {
  @Field(() => String) cycle!: string;
  @Field(() => String) theme!: string;
  @Field(() => [String]) skills!: string[];
}

@Disclose("viewer")
@ObjectType({
  description: "Where you stand for a skill share: the first to sign up have places, the rest wait in order.",
})
export class SkillShareStanding {
  @Field(() => Boolean) hasPlace!: boolean;
  @Field(() => Int, { nullable: true, description: "1 for the first who waits; null with a place." }) waitingPosition!:
    number | null;
}

@Disclose("members")
@ObjectType({ description: "A sign-up, as its host sees it." })
export class SkillShareSignup {
  @Field(() => BarterMember) member!: BarterMember;
  @Field(() => Boolean) hasPlace!: boolean;
  @Field(() => Int, { nullable: true }) waitingPosition!: number | null;
}

@Disclose("members")
@ObjectType({
  description: "A pop-up skill share a member hosts: a skill, a time, a block-level place and a number of places.",
})
export class SkillShare {
  @Field(() => ID) id!: string;
  @Field(() => BarterCircle) circle!: BarterCircle;
  @Field(() => BarterMember) host!: BarterMember;
  @Field(() => String) skill!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => String, { description: "A geohash of at most 6 characters: a block, never a door." })
  placeGeohash!: string;
  @Field(() => Int) capacity!: number;
  @Field(() => Int, { description: "Minutes each attendee's exchange with the host records." }) minutes!: number;
  @Field(() => Int) placesTaken!: number;
  @Field(() => Int) waitingCount!: number;
  @Field(() => Date, { nullable: true }) attendanceRecordedAt!: Date | null;
  @Disclose("viewer")
  @Field(() => SkillShareStanding, { nullable: true, description: "Yours, when you signed up." })
  yourStanding!: SkillShareStanding | null;
  @Field(() => [SkillShareSignup], {
    nullable: true,
    description: "Everyone who signed up, in order; for the host only.",
  })
  signups!: SkillShareSignup[] | null;
}

@Disclose("public")
@ObjectType()
export class SkillSharePage extends PageOf(SkillShare) {}
