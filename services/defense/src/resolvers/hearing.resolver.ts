import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { badInput, isUuid, requireMembership, requireOwnedRow, Disclose } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { defaultShift, REMINDER_LEAD_MS, SHORTAGE_CHECK_LEAD_MS, shiftsProblem } from "../domain/accompaniment.js";
import { blockLevelPlace } from "../domain/places.js";
import { ACCOMPANIMENT_QUEUE } from "../jobs/accompaniment.js";
import { triggerJob } from "../jobs/triggers.js";
import { hearingsByIds, scheduleHearing, shiftCircle, shiftsOf, signUpForShift, upcomingHearings, type HearingRow, type ShiftRow } from "../store/hearings.js";

@InputType()
class HearingShiftInput {
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
}

@InputType()
class ScheduleHearingInput {
  @Field(() => ID) circleId!: string;
  @Field(() => Date) startsAt!: Date;
  @Field(() => String, { description: "Block-level place of the court: a geohash of at most 6 characters." }) place!: string;
  @Field(() => Int, { description: "Companions needed on each shift, 1 to 50." }) companionsNeeded!: number;
  @Field(() => [HearingShiftInput], { nullable: true, description: "Default: one shift from 30 minutes before to 3 hours after the start." }) shifts?: HearingShiftInput[] | null;
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
  @Field(() => Boolean, { description: "Flagged 48 hours before when a shift still lacks companions." }) isShortOfCompanions!: boolean;
  @Field(() => Date, { nullable: true }) checkedAt!: Date | null;
}

const toHearing = (row: HearingRow, shifts: ShiftRow[]) =>
  Object.assign(new Hearing(), {
    ...row,
    place: row.geohash,
    shifts: shifts.filter((s) => s.hearingId === row.id).map((s) => Object.assign(new HearingShift(), { ...s, companions: s.signups })),
  });

@Resolver()
export class HearingResolver {
  @Disclose("members")
  @Mutation(() => Hearing, { description: "Asks the circle for companions to a hearing. Members only." })
  async scheduleHearing(@Arg("input", () => ScheduleHearingInput) input: ScheduleHearingInput, @Ctx() context: DefenseContext): Promise<Hearing> {
    const membership = requireMembership(context.caller, input.circleId);
    const place = blockLevelPlace(input.place);
    if ("problem" in place) throw badInput(place.problem);
    if (!Number.isInteger(input.companionsNeeded) || input.companionsNeeded < 1 || input.companionsNeeded > 50) throw badInput(`companionsNeeded is 1 to 50; got ${input.companionsNeeded}.`);
    const now = context.clock();
    const shifts = input.shifts?.length ? input.shifts : [defaultShift(input.startsAt)];
    const problem = shiftsProblem(input.startsAt, shifts, now);
    if (problem) throw badInput(problem);
    const { hearing, shiftIds } = await context.db.transaction((manager) =>
      scheduleHearing(manager, { circleId: input.circleId, memberId: membership.memberId, startsAt: input.startsAt, geohash: place.geohash, companionsNeeded: input.companionsNeeded, shifts }, now),
    );
    try {
      const queue = context.runtime.queue(ACCOMPANIMENT_QUEUE);
      await triggerJob(queue, "check", {}, `hearing-check-${hearing.id}`, input.startsAt.getTime() - SHORTAGE_CHECK_LEAD_MS - now.getTime());
      for (const [index, id] of shiftIds.entries()) await triggerJob(queue, "remind", {}, `shift-reminder-${id}`, shifts[index].startsAt.getTime() - REMINDER_LEAD_MS - now.getTime());
    } catch (error) {
      context.runtime.logger.warn({ err: error }, "could not time a hearing's check; the sweep will do it");
    }
    return toHearing(hearing, await shiftsOf(context.db, [hearing.id], membership.memberId));
  }

  @Disclose("members")
  @Mutation(() => Hearing, { description: "Sign up to accompany someone for a shift. Members only." })
  async signUpForShift(@Arg("shiftId", () => ID) shiftId: string, @Ctx() context: DefenseContext): Promise<Hearing> {
    const { row, membership } = requireOwnedRow(context.caller, isUuid(shiftId) ? await shiftCircle(context.db, shiftId) : undefined, "No shift with that id in your circles.");
    const hearingId = await context.db.transaction((manager) => signUpForShift(manager, shiftId, row.circleId, membership.memberId, context.clock()));
    const [hearing] = await hearingsByIds(context.db, [hearingId]);
    return toHearing(hearing, await shiftsOf(context.db, [hearingId], membership.memberId));
  }

  @Disclose("members")
  @Query(() => [Hearing], { description: "The circle's coming hearings, soonest first (at most 100). Members only." })
  async hearings(@Arg("circleId", () => ID) circleId: string, @Ctx() context: DefenseContext): Promise<Hearing[]> {
    const membership = requireMembership(context.caller, circleId);
    const rows = await upcomingHearings(context.db, circleId, context.clock(), 100);
    const shifts = await shiftsOf(context.db, rows.map((r) => r.id), membership.memberId);
    return rows.map((row) => toHearing(row, shifts));
  }
}
