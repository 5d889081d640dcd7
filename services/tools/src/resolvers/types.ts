import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageOf, Disclose } from "@rhizome/kit";
import { toolConditions, type ToolCondition } from "../domain/catalogue.js";
import { handOffStatuses, type HandOffStatus } from "../domain/hand-offs.js";
import { maintenanceKinds, type MaintenanceKind } from "../domain/audits.js";
import { notificationKinds, type NotificationKind } from "../domain/inbox.js";
import { reservationStatuses, type ReservationStatus } from "../domain/reservations.js";

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ToolConditionEnum = enumOf(toolConditions);
registerEnumType(ToolConditionEnum, {
  name: "ToolCondition",
  description: "NEEDS_REPAIR tools are not lent until a repair is recorded; RETIRED tools are never lent again.",
});
export const ReservationStatusEnum = enumOf(reservationStatuses);
registerEnumType(ReservationStatusEnum, {
  name: "ReservationStatus",
  description: "WAITING in the queue; FULFILLED when the tool reached the member; CANCELLED.",
});
export const HandOffStatusEnum = enumOf(handOffStatuses);
registerEnumType(HandOffStatusEnum, {
  name: "HandOffStatus",
  description: "PROPOSED until the other member confirms or declines, or the proposer cancels.",
});
export const MaintenanceKindEnum = enumOf(maintenanceKinds);
registerEnumType(MaintenanceKindEnum, { name: "MaintenanceKind" });
export const NotificationKindEnum = enumOf(notificationKinds);
registerEnumType(NotificationKindEnum, {
  name: "ToolNotificationKind",
  description:
    "LOAN_OVERDUE, then LOAN_STILL_OVERDUE one interval later (to the borrower), then CARETAKERS_LOAN_OVERDUE (to the cycle's caretakers); TOOL_RETIRED to each member whose reservation closed because its tool was retired.",
});

/** network owns Circle; tools adds the library's fields to it. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Circle")
export class ToolsCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; tools refers to members by id. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Member")
export class ToolsMember {
  @Field(() => ID) id!: string;
}

export const circleRef = (id: string) => Object.assign(new ToolsCircle(), { id });
export const memberRef = (id: string) => Object.assign(new ToolsMember(), { id });

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({
  description:
    "A tool of a circle's roaming library. It lives with its host between loans and moves from hand to hand. Visible to the circle's members.",
})
export class Tool {
  @Field(() => ID) id!: string;
  @Field(() => ToolsCircle) circle!: ToolsCircle;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "Normalised, e.g. `power-tools`; loan periods are set per category." })
  category!: string;
  @Field(() => String) description!: string;
  @Field(() => String) safetyNotes!: string;
  @Field(() => ToolConditionEnum) condition!: ToolCondition;
  @Field(() => ToolsMember, { description: "Keeps the tool between loans." }) host!: ToolsMember;
  @Field(() => ToolsMember, { description: "Has the tool in hand now: the host, or a borrower." }) holder!: ToolsMember;
  @Field(() => String, {
    nullable: true,
    description: "Where the tool lives, block level at most: a geohash of at most 6 characters.",
  })
  locationCell!: string | null;
  @Field(() => Int, { description: "Members waiting for it." }) waitingCount!: number;
  @Field(() => Boolean, { description: "Home with its host, lendable, and nobody waiting." }) isAvailable!: boolean;
  @Field(() => Date) addedAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => Date, { nullable: true }) retiredAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastAuditedAt!: Date | null;
  openLoanId!: string | null;
}

@Disclose("public")
@ObjectType()
export class ToolPage extends PageOf(Tool) {}

@Disclose("members")
@ObjectType({ description: "A member's place in a tool's queue: first come, first served." })
export class Reservation {
  @Field(() => ID) id!: string;
  @Field(() => ToolsMember) member!: ToolsMember;
  @Field(() => Int, { description: "The order of arrival in this tool's queue, from 1; never reused." })
  number!: number;
  @Field(() => ReservationStatusEnum) status!: ReservationStatus;
  @Field(() => Date) reservedAt!: Date;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  toolId!: string;
  /** Known when the reservation was just placed or listed in queue order. */
  knownPlace?: number | null;
}

@Disclose("public")
@ObjectType()
export class ReservationPage extends PageOf(Reservation) {}

@Disclose("members")
@ObjectType({ description: "A tool away from its host, from the hand-off that started it to the one that ended it." })
export class Loan {
  @Field(() => ID) id!: string;
  @Field(() => ToolsMember) borrower!: ToolsMember;
  @Field(() => ToolsMember) host!: ToolsMember;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date) dueAt!: Date;
  @Field(() => Int) renewals!: number;
  @Field(() => Date, { nullable: true }) returnedAt!: Date | null;
  toolId!: string;
}

@Disclose("members")
@ObjectType({
  description: "A tool passing between two members: one proposes, the other confirms; only then does it change hands.",
})
export class HandOff {
  @Field(() => ID) id!: string;
  @Field(() => ToolsMember) from!: ToolsMember;
  @Field(() => ToolsMember) to!: ToolsMember;
  @Field(() => ToolsMember) proposedBy!: ToolsMember;
  @Field(() => HandOffStatusEnum) status!: HandOffStatus;
  @Field(() => Date) proposedAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  toolId!: string;
}

@Disclose("members")
@ObjectType({ description: "One link of a tool's chain of custody." })
export class CustodySpell {
  @Field(() => ID) id!: string;
  @Field(() => ToolsMember) holder!: ToolsMember;
  @Field(() => Date) heldFrom!: Date;
  @Field(() => Date, { nullable: true, description: "Null while the member still holds it." }) heldUntil!: Date | null;
}

@Disclose("public")
@ObjectType()
export class CustodyPage extends PageOf(CustodySpell) {}

@Disclose("members")
@ObjectType({ description: "An audit (the condition found) or a repair (work done and the condition after)." })
export class MaintenanceRecord {
  @Field(() => ID) id!: string;
  @Field(() => MaintenanceKindEnum) kind!: MaintenanceKind;
  @Field(() => ToolsMember) recordedBy!: ToolsMember;
  @Field(() => ToolConditionEnum) condition!: ToolCondition;
  @Field(() => String) notes!: string;
  @Field(() => Int, { nullable: true, description: "Minutes of work, for a repair." }) minutes!: number | null;
  @Field(() => String) parts!: string;
  @Field(() => ID, { nullable: true, description: "The barter exchange the repair was done in, if any." }) exchangeId!:
    string | null;
  @Field(() => Date) recordedAt!: Date;
  @Field(() => String) cycle!: string;
}

@Disclose("public")
@ObjectType()
export class MaintenancePage extends PageOf(MaintenanceRecord) {}

@Disclose("public")
@ObjectType()
export class TutorialStep {
  @Field(() => String) markdown!: string;
  @Field(() => String, { description: "The step as safe HTML." }) html!: string;
}

@Disclose("public")
@ObjectType({
  description: "A repair tutorial, public. Its HTML is rendered from markdown with raw HTML and unsafe links removed.",
})
export class Tutorial {
  @Field(() => ID) id!: string;
  @Field(() => ToolsCircle) circle!: ToolsCircle;
  @Field(() => String) title!: string;
  @Field(() => [String]) categories!: string[];
  @Field(() => String) markdown!: string;
  @Field(() => String, { description: "Safe HTML: no script, event handler or javascript: link survives." })
  html!: string;
  @Field(() => [TutorialStep]) steps!: TutorialStep[];
  @Field(() => Date) publishedAt!: Date;
}

@Disclose("public")
@ObjectType()
export class TutorialPage extends PageOf(Tutorial) {}

@Disclose("members")
@ObjectType({
  description:
    "A cycle's caretaker duo and how it was drawn: by the witnessed draw `drawId` (see `caretakerDraw`), whose order over the volunteers gives the first two who did not serve last cycle (last cycle's caretakers only fill seats nobody else is willing to take); a carried-over duo (too few witnesses) is last cycle's caretakers who still volunteer. Members only.",
})
export class CaretakerDuo {
  @Field(() => String, { description: "The cycle the duo serves." }) cycle!: string;
  @Field(() => [ToolsMember]) caretakers!: ToolsMember[];
  @Field(() => ID, {
    nullable: true,
    description: "The witnessed draw that chose the duo; null for duos drawn before draws had witnesses.",
  })
  drawId!: string | null;
  @Field(() => Boolean, {
    description:
      "Too few witnesses committed, so nobody was drawn and last cycle's caretakers who still volunteer serve again.",
  })
  wasCarriedOver!: boolean;
  @Field(() => [ID], { description: "The volunteers when it was drawn, sorted: the draw's pool." })
  volunteerIds!: string[];
  @Field(() => [ID], { description: "Last cycle's duo, sorted; they sit out while two others are willing." })
  previousDuoIds!: string[];
  @Field(() => String, { nullable: true, description: "The draw's pool commitment." }) commitment!: string | null;
  @Field(() => String, { nullable: true, description: "The draw seed; null when carried over." }) seed!: string | null;
  @Field(() => Date) drawnAt!: Date;
}

@Disclose("members")
@ObjectType({
  description:
    "A witness of a caretaker draw: their commitment from the start, their seed once the pool is frozen. Members only.",
})
export class CaretakerDrawWitness {
  @Field(() => ID) memberId!: string;
  @Field(() => String, { description: "SHA-256 hex of JSON.stringify([drawId, memberId, seed])." }) commitment!: string;
  @Field(() => String, {
    nullable: true,
    description: "Published when the pool is frozen (opened by the hub if the witness did not reveal it); null before.",
  })
  seed!: string | null;
  @Field(() => Date, {
    nullable: true,
    description: "When the witness revealed the seed themself; null if they did not (it counts all the same).",
  })
  revealedAt!: Date | null;
  @Field(() => Date) committedAt!: Date;
}

@Disclose("members")
@ObjectType({
  description:
    'The witnessed draw of a cycle\'s caretaker duo, recomputable by any member (see services/governance/README.md, "Checking a draw by hand"). Members only.',
})
export class CaretakerDraw {
  @Field(() => ID) id!: string;
  @Field(() => ID) circleId!: string;
  @Field(() => String, {
    description: "The cycle during which witnesses committed; the new moon that ends it froze the pool.",
  })
  cycle!: string;
  @Field(() => String, { description: "GATHERING, DRAWN or CARRIED_OVER." }) status!: string;
  @Field(() => Int) witnessesRequired!: number;
  @Field(() => [CaretakerDrawWitness], { description: "By member id, the order their seeds are combined in." })
  witnesses!: CaretakerDrawWitness[];
  @Field(() => [ID], { nullable: true, description: "The volunteers, sorted; null until frozen." }) pool!:
    string[] | null;
  @Field(() => String, {
    nullable: true,
    description: "The rules recorded with the pool ({ serves, seats, previousDuo }), as canonical JSON.",
  })
  rules!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'SHA-256 hex of the canonical JSON of { drawId, purpose: "caretakers", cycle, pool, rules }.',
  })
  commitment!: string | null;
  @Field(() => String, { nullable: true }) drawSeed!: string | null;
  @Field(() => [ID], { nullable: true, description: "The pool in draw order; null unless DRAWN." }) drawnOrder!:
    string[] | null;
  @Field(() => [ID], { nullable: true, description: "The duo it gave." }) caretakers!: string[] | null;
  @Field(() => Date) openedAt!: Date;
  @Field(() => Date, { nullable: true }) frozenAt!: Date | null;
}

@Disclose("public")
@ObjectType({ description: "Loans started in a cell during the cycle." })
export class LoanMapCell {
  @Field(() => String, { description: "A geohash cell." }) cell!: string;
  @Field(() => Int) loans!: number;
}

@Disclose("public")
@ObjectType({
  description:
    "Loans per coarse cell in a cycle, at one fixed precision. Cells behind which fewer than 5 hosts or 5 borrowers stand, and cells whose absence would let those be recovered, are left out. Closed cycles are public.",
})
export class LoanMap {
  @Field(() => String) cycle!: string;
  @Field(() => Boolean) isClosed!: boolean;
  @Field(() => Int, { description: "Geohash characters per cell: the same for every map." }) precision!: number;
  @Field(() => [LoanMapCell]) cells!: LoanMapCell[];
}

@Disclose("members")
@ObjectType()
export class LoanPeriod {
  @Field(() => String) category!: string;
  @Field(() => Int) loanDays!: number;
}

@Disclose("members")
@ObjectType({ description: "A circle's library rules, set by organizers." })
export class ToolLibrarySettings {
  @Field(() => Int, { description: "Open reservations one member may hold at once." }) maxOpenReservations!: number;
  @Field(() => Int, { description: "Hours between an overdue loan's reminders." }) reminderIntervalHours!: number;
  @Field(() => Int, { description: "Loan period of a category with no rule of its own." }) defaultLoanDays!: number;
  @Field(() => [LoanPeriod]) loanPeriods!: LoanPeriod[];
}

@Disclose("self")
@ObjectType({ description: "A message in your in-app inbox." })
export class ToolNotification {
  @Field(() => ID) id!: string;
  @Field(() => NotificationKindEnum) kind!: NotificationKind;
  @Field(() => Date, {
    nullable: true,
    description: "When the loan was due; null for TOOL_RETIRED, which is about a reservation, not a loan.",
  })
  dueAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Boolean, { description: "True once you marked your inbox read up to this notification or later." })
  isRead!: boolean;
  toolId!: string;
  loanId!: string | null;
}

@Disclose("public")
@ObjectType()
export class ToolNotificationPage extends PageOf(ToolNotification) {}

@Disclose("viewer")
@ObjectType({ description: "A confirmed hand-off and the loans it ended and started." })
export class HandOffOutcome {
  @Field(() => HandOff) handOff!: HandOff;
  @Field(() => Loan, { nullable: true }) loanEnded!: Loan | null;
  @Field(() => Loan, { nullable: true }) loanStarted!: Loan | null;
}
