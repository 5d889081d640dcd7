import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { PageOf, Disclose } from "@rhizome/kit";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import type { SovereigntyMetric } from "../domain/scores.js";
import {
  SovereigntyEventKindEnum,
  SovereigntyEventSourceEnum,
  SovereigntyMetricEnum,
  StoryStatusEnum,
  type StoryStatus,
} from "./enums.js";

/** network owns Circle; sovereignty refers to it by id. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Circle")
export class SovereigntyCircle {
  @Field(() => ID) id!: string;
}

@Disclose("members")
@ObjectType({
  description:
    "One need met without a coercive intermediary, in a circle's sovereignty ledger. Visible to the circle's members.",
})
export class SovereigntyEvent {
  @Field(() => ID) id!: string;
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => String, { description: "The lunar cycle it counts in." }) cycle!: string;
  @Field(() => SovereigntyEventKindEnum) kind!: SovereigntyEventKind;
  @Field(() => Int) count!: number;
  @Field(() => SovereigntyEventSourceEnum) source!: "SERVICE" | "HAND";
  @Field(() => Date) recordedAt!: Date;
}

@Disclose("public")
@ObjectType()
export class SovereigntyEventPage extends PageOf(SovereigntyEvent) {}

@Disclose("public")
@ObjectType({ description: "How many events of one kind; null when fewer than 5 people stand behind it." })
export class SovereigntyKindCount {
  @Field(() => SovereigntyEventKindEnum) kind!: SovereigntyEventKind;
  @Field(() => Int, { nullable: true }) count!: number | null;
}

@Disclose("public")
@ObjectType({ description: "A published figure; null when it would describe fewer than 5 people." })
export class SovereigntyFigure {
  @Field(() => SovereigntyMetricEnum) metric!: SovereigntyMetric;
  @Field(() => Float, { nullable: true }) value!: number | null;
}

@Disclose("public")
@ObjectType({
  description:
    "A circle's sovereignty figures for one lunar cycle (S2). Every figure that would describe fewer than 5 people is null. Kept when the cycle closes; counted live while it is open.",
})
export class SovereigntyScore {
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => String) cycle!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => Boolean, { description: "Whether the cycle has ended; only closed cycles are public." })
  isClosed!: boolean;
  @Field(() => Int, { nullable: true }) sovereigntyEvents!: number | null;
  @Field(() => Int, { nullable: true, description: "Events that replaced a command." }) commandsDisplaced!:
    number | null;
  @Field(() => Float, { nullable: true, description: "Commands displaced per active member." })
  commandDisplacementPerCapita!: number | null;
  @Field(() => Int, { nullable: true, description: "Members who took part in an exchange or a loan." }) activeMembers!:
    number | null;
  @Field(() => Int, { nullable: true }) minutesExchanged!: number | null;
  @Field(() => Int, { nullable: true }) exchanges!: number | null;
  @Field(() => Int, { nullable: true }) loans!: number | null;
  @Field(() => Int, { nullable: true }) mediations!: number | null;
  @Field(() => Int, { nullable: true }) crisesBuffered!: number | null;
  @Field(() => Int, { nullable: true }) commandsReplaced!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Members whose debts were annulled at the new moon that began the cycle (so no late arrival ever changes a published cycle); null when fewer than 5.",
  })
  debtsAnnulled!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Minutes of debt annulled at the new moon that began the cycle; null when fewer than 5 members' debts.",
  })
  minutesOfDebtAnnulled!: number | null;
  @Field(() => [SovereigntyKindCount]) eventsByKind!: SovereigntyKindCount[];
  @Field(() => [SovereigntyFigure], { description: "Every metric, as comparisons sort by them." })
  figures!: SovereigntyFigure[];
}

@Disclose("public")
@ObjectType({ description: "A published figure of one closed cycle; null when suppressed or not yet closed." })
export class SovereigntyTrendPoint {
  @Field(() => String) cycle!: string;
  @Field(() => Float, { nullable: true }) value!: number | null;
}

@Disclose("public")
@ObjectType({
  description: "A circle in a comparison: its figure for the cycle and its trend over the last 12 cycles.",
})
export class CircleComparison {
  @Field(() => Int, { description: "1 for the highest figure." }) rank!: number;
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => Float) value!: number;
  @Field(() => [SovereigntyTrendPoint], { description: "The 12 cycles ending with the compared one, oldest first." })
  trend!: SovereigntyTrendPoint[];
}

@Disclose("public")
@ObjectType()
export class CircleComparisonPage extends PageOf(CircleComparison) {}

@Disclose("members")
@ObjectType({ description: "A circle's choices about its figures." })
export class SovereigntySettings {
  @Field(() => Boolean, { description: "Whether the circle stays out of comparisons with other circles." })
  isOptedOutOfComparison!: boolean;
}

@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType({
  description:
    "A member's story, as the teller chose to tell it. Public once published; before that, visible to the teller and the circle's stewards.",
})
export class SovereigntyStory {
  @Field(() => ID) id!: string;
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => String) cycle!: string;
  @Field(() => String) title!: string;
  @Field(() => String) body!: string;
  @Field(() => StoryStatusEnum) status!: StoryStatus;
  @Field(() => Boolean, {
    description: "Whether the teller consents to publication; the teller may withdraw it at any time.",
  })
  tellerConsents!: boolean;
  @Field(() => Date) submittedAt!: Date;
}

@Disclose("public")
@ObjectType()
export class SovereigntyStoryPage extends PageOf(SovereigntyStory) {}

@Disclose("public")
@ObjectType({ description: "A need on a circle's public board. Names no one." })
export class BoardNeed {
  @Field(() => ID) id!: string;
  @Field(() => String) category!: string;
  @Field(() => String) title!: string;
  @Field(() => Int, { nullable: true, description: "People waiting; null when fewer than 5." }) peopleWaiting!:
    number | null;
  @Field(() => Date) postedAt!: Date;
}

@Disclose("public")
@ObjectType({ description: "Open needs of one category." })
export class BoardCategory {
  @Field(() => String) category!: string;
  @Field(() => Int, { description: "Needs organizers posted in this category." }) openNeeds!: number;
  @Field(() => Int, {
    nullable: true,
    description: "People organizers said wait, in this category's posted needs; null when fewer than 5.",
  })
  peopleWaiting!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Distinct members with a barter request open or a tool reservation waiting in this category; null when fewer than 5.",
  })
  membersWaiting!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Open barter requests asking for this skill; null unless requests and reservations both stand for 0 or at least 5 members.",
  })
  openRequests!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Tool reservations waiting for a tool of this category; null unless requests and reservations both stand for 0 or at least 5 members.",
  })
  reservationsWaiting!: number | null;
}

@Disclose("public")
@ObjectType({ description: "A circle's public board of current needs (S3): no person is identifiable." })
export class NeedsBoard {
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => [BoardCategory]) categories!: BoardCategory[];
  @Field(() => [BoardNeed], { description: `Newest first, at most the board's limit.` }) needs!: BoardNeed[];
}

@Disclose("public")
@ObjectType({
  description:
    "A cycle's newsletter (S3): its figures with its published stories, as data and as an HTML page with charts.",
})
export class Newsletter {
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => String) cycle!: string;
  @Field(() => SovereigntyScore) figures!: SovereigntyScore;
  @Field(() => [SovereigntyStory]) stories!: SovereigntyStory[];
  @Field(() => String, {
    description: "A self-contained HTML page (inline SVG charts, no scripts, nothing fetched from elsewhere).",
  })
  html!: string;
}

@Disclose("public")
@ObjectType({
  description:
    "The money a closed cycle kept out of banks and bureaucracies (S2): its published hours exchanged and loans made, valued at the rates its circle set (those in force when the cycle ended; for a cycle that ended before the circle set any, the first it set). Amounts in minor units of `currency` (cents for EUR). Computed only from published figures: a part whose figure describes fewer than 5 people is null and adds nothing to the total.",
})
export class MoneyKeptOut {
  @Field(() => String, { description: "ISO 4217 code." }) currency!: string;
  @Field(() => Int, { description: "What one hour given was valued at." }) hourValueMinor!: number;
  @Field(() => Int, { description: "What one loan made was valued at." }) loanValueMinor!: number;
  @Field(() => Int, { nullable: true, description: "Hours exchanged, valued; null when fewer than 5 people." })
  fromHoursMinor!: number | null;
  @Field(() => Int, { nullable: true, description: "Loans made, valued; null when fewer than 5 people." })
  fromLoansMinor!: number | null;
  @Field(() => Int, { nullable: true, description: "The published parts added up; null when both are suppressed." })
  totalMinor!: number | null;
}

@Disclose("members")
@ObjectType({ description: "The rates a circle values an hour exchanged and a loan made at, in money." })
export class SovereigntyRates {
  @Field(() => SovereigntyCircle) circle!: SovereigntyCircle;
  @Field(() => String, { description: "ISO 4217 code." }) currency!: string;
  @Field(() => Int, { description: "One hour, in minor units of the currency." }) hourValueMinor!: number;
  @Field(() => Int, { description: "One loan of a tool, in minor units of the currency." }) loanValueMinor!: number;
  @Field(() => Date, { description: "When these rates were set; cycles ending after it are valued at them." })
  setAt!: Date;
}
