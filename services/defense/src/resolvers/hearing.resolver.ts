import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Disclose, discloseAs, requireMembership } from "@rhizome/kit";
import type { HearingView } from "../actions/hearing-access.js";
import { scheduleHearing } from "../actions/schedule-hearing.js";
import { shareHearingNotes } from "../actions/share-hearing-notes.js";
import { signUpForShift } from "../actions/sign-up-for-shift.js";
import type { DefenseContext } from "../context.js";
import { companionsOf, shiftsOf, upcomingHearings, type HearingRow, type ShiftRow } from "../store/hearings.js";
import { memberRef } from "./mappers.js";
import { DefenseMember } from "./types.js";

@InputType()
class HearingShiftInput {
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
}

@InputType()
class ScheduleHearingInput {
  @Field(() => ID) circleId!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => String, { description: "Block-level place of the court: a geohash of at most 6 characters." })
  place!: string;
  @Field(() => Int, { description: "Companions needed on each shift, 1 to 50." }) companionsNeeded!: number;
  @Field(() => [HearingShiftInput], {
    nullable: true,
    description: "Default: one shift from 30 minutes before to 3 hours after the start.",
  })
  shifts?: HearingShiftInput[] | null;
}

@Disclose("members")
@ObjectType()
class HearingShift {
  @Field(() => ID) id!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => Int) companions!: number;
  @Disclose("viewer") @Field(() => Boolean) isSignedUpByMe!: boolean;
}

@Disclose("members")
@ObjectType({ description: "A hearing someone of the circle faces; who faces it is not shown." })
class Hearing {
  @Field(() => ID) id!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => String) place!: string;
  @Field(() => Int) companionsNeeded!: number;
  @Field(() => [HearingShift]) shifts!: HearingShift[];
  @Field(() => Boolean, { description: "Flagged 48 hours before when a shift still lacks companions." })
  isShortOfCompanions!: boolean;
  @Field(() => Date, { nullable: true }) checkedAt!: Date | null;
  @Disclose("viewer")
  @Field(() => Boolean, { description: "True for the person facing it, and only them." })
  isMine!: boolean;
  @Disclose("self")
  @Field(() => [DefenseMember], {
    nullable: true,
    description:
      "Who signed up to accompany: shown to the person facing the hearing only (to share its notes with); null for everyone else.",
  })
  companions!: DefenseMember[] | null;
}

/** A hearing as one viewer reads it; the member it is about (for `self` fields) is whoever faces it. */
const toHearing = (
  row: HearingRow,
  shifts: ShiftRow[],
  viewerMemberId: string | undefined,
  companions: string[] | null = null,
) =>
  discloseAs(
    Object.assign(new Hearing(), {
      ...row,
      isMine: row.scheduledByMemberId === viewerMemberId,
      companions: row.scheduledByMemberId === viewerMemberId && companions ? companions.map(memberRef) : null,
      place: row.geohash,
      shifts: shifts
        .filter((s) => s.hearingId === row.id)
        .map((s) => Object.assign(new HearingShift(), { ...s, companions: s.signups })),
    }),
    { circleId: row.circleId, memberId: row.scheduledByMemberId },
  );

const toHearingOf = (view: HearingView) => toHearing(view.hearing, view.shifts, view.memberId, view.companions);

@Resolver()
export class HearingResolver {
  @Disclose("members")
  @Mutation(() => Hearing, { description: "Asks the circle for companions to a hearing. Members only." })
  async scheduleHearing(
    @Arg("input", () => ScheduleHearingInput) input: ScheduleHearingInput,
    @Ctx() context: DefenseContext,
  ): Promise<Hearing> {
    return toHearingOf(await scheduleHearing(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Hearing, {
    description:
      "Shares the hearing's case notes with a companion who signed up for one of its shifts. The person facing the hearing only.",
  })
  async shareHearingNotes(
    @Arg("hearingId", () => ID) hearingId: string,
    @Arg("memberId", () => ID) memberId: string,
    @Ctx() context: DefenseContext,
  ): Promise<Hearing> {
    return toHearingOf(await shareHearingNotes(context, { hearingId, memberId }));
  }

  @Disclose("members")
  @Mutation(() => Hearing, {
    description:
      "Sign up to accompany someone for a shift; you read the hearing's notes only if the person facing it shares them. Members only.",
  })
  async signUpForShift(@Arg("shiftId", () => ID) shiftId: string, @Ctx() context: DefenseContext): Promise<Hearing> {
    return toHearingOf(await signUpForShift(context, shiftId));
  }

  @Disclose("members")
  @Query(() => [Hearing], { description: "The circle's coming hearings, soonest first (at most 100). Members only." })
  async hearings(@Arg("circleId", () => ID) circleId: string, @Ctx() context: DefenseContext): Promise<Hearing[]> {
    const membership = requireMembership(context.caller, circleId);
    const rows = await upcomingHearings(context.db, circleId, context.clock(), 100);
    const shifts = await shiftsOf(
      context.db,
      rows.map((r) => r.id),
      membership.memberId,
    );
    return Promise.all(
      rows.map(async (row) =>
        toHearing(
          row,
          shifts,
          membership.memberId,
          row.scheduledByMemberId === membership.memberId ? await companionsOf(context.db, row.id) : null,
        ),
      ),
    );
  }
}
