import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { badInput, Disclose, discloseAs, forbidden, isUuid, requireMembership, requireOwnedRow } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { defaultShift, REMINDER_LEAD_MS, SHORTAGE_CHECK_LEAD_MS, shiftsProblem } from "../domain/accompaniment.js";
import { blockLevelPlace } from "../domain/places.js";
import { ACCOMPANIMENT_QUEUE } from "../jobs/accompaniment.js";
import { triggerJob } from "../jobs/triggers.js";
import {
  companionsOf,
  hearingsByIds,
  scheduleHearing,
  shareHearingNotes,
  shiftCircle,
  shiftsOf,
  signUpForShift,
  upcomingHearings,
  type HearingRow,
  type ShiftRow,
} from "../store/hearings.js";
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

@Resolver()
export class HearingResolver {
  @Disclose("members")
  @Mutation(() => Hearing, { description: "Asks the circle for companions to a hearing. Members only." })
  async scheduleHearing(
    @Arg("input", () => ScheduleHearingInput) input: ScheduleHearingInput,
    @Ctx() context: DefenseContext,
  ): Promise<Hearing> {
    const membership = requireMembership(context.caller, input.circleId);
    const place = blockLevelPlace(input.place);
    if ("problem" in place) throw badInput(place.problem);
    if (!Number.isInteger(input.companionsNeeded) || input.companionsNeeded < 1 || input.companionsNeeded > 50)
      throw badInput(`companionsNeeded is 1 to 50; got ${input.companionsNeeded}.`);
    const now = context.clock();
    const shifts = input.shifts?.length ? input.shifts : [defaultShift(input.startsAt)];
    const problem = shiftsProblem(input.startsAt, shifts, now);
    if (problem) throw badInput(problem);
    const { hearing, shiftIds } = await context.db.transaction((manager) =>
      scheduleHearing(
        manager,
        {
          circleId: input.circleId,
          memberId: membership.memberId,
          startsAt: input.startsAt,
          geohash: place.geohash,
          companionsNeeded: input.companionsNeeded,
          shifts,
        },
        now,
      ),
    );
    try {
      const queue = context.runtime.queue(ACCOMPANIMENT_QUEUE);
      await triggerJob(
        queue,
        "check",
        {},
        `hearing-check-${hearing.id}`,
        input.startsAt.getTime() - SHORTAGE_CHECK_LEAD_MS - now.getTime(),
      );
      for (const [index, id] of shiftIds.entries())
        await triggerJob(
          queue,
          "remind",
          {},
          `shift-reminder-${id}`,
          shifts[index].startsAt.getTime() - REMINDER_LEAD_MS - now.getTime(),
        );
    } catch (error) {
      context.runtime.logger.warn({ err: error }, "could not time a hearing's check; the sweep will do it");
    }
    return toHearing(hearing, await shiftsOf(context.db, [hearing.id], membership.memberId), membership.memberId, []);
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
    const [found] = isUuid(hearingId) ? await hearingsByIds(context.db, [hearingId]) : [];
    const { row, membership } = requireOwnedRow(context.caller, found, "No hearing with that id in your circles.");
    if (row.scheduledByMemberId !== membership.memberId)
      throw forbidden("Only the person facing a hearing shares its notes.");
    const isShared =
      isUuid(memberId) &&
      (await context.db.transaction((manager) => shareHearingNotes(manager, row, memberId, context.clock())));
    if (!isShared) throw badInput("Share the notes with a companion who signed up for one of the hearing's shifts.");
    return toHearing(
      row,
      await shiftsOf(context.db, [row.id], membership.memberId),
      membership.memberId,
      await companionsOf(context.db, row.id),
    );
  }

  @Disclose("members")
  @Mutation(() => Hearing, {
    description:
      "Sign up to accompany someone for a shift; you read the hearing's notes only if the person facing it shares them. Members only.",
  })
  async signUpForShift(@Arg("shiftId", () => ID) shiftId: string, @Ctx() context: DefenseContext): Promise<Hearing> {
    const { row, membership } = requireOwnedRow(
      context.caller,
      isUuid(shiftId) ? await shiftCircle(context.db, shiftId) : undefined,
      "No shift with that id in your circles.",
    );
    const hearingId = await context.db.transaction((manager) =>
      signUpForShift(manager, shiftId, row.circleId, membership.memberId, context.clock()),
    );
    const [hearing] = await hearingsByIds(context.db, [hearingId]);
    return toHearing(hearing, await shiftsOf(context.db, [hearingId], membership.memberId), membership.memberId);
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
