import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import {
  badInput,
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  requireOwnedRow,
  toPage,
  type Membership,
  Disclose,
} from "@rhizome/kit";
import { MAX_EXCHANGE_MINUTES, MIN_EXCHANGE_MINUTES } from "../domain/exchanges.js";
import { capacityProblem, MAX_ATTENDEES_RECORDED, normalisePlace, startProblem } from "../domain/skill-shares.js";
import { normaliseSkill } from "../domain/skills.js";
import {
  announceSkillShare,
  NO_SUCH_SKILL_SHARE,
  recordAttendance,
  requireSkillShare,
  signUpForSkillShare,
  signupsOf,
  skillSharesOf,
  findSkillShare,
  type SkillShare as SkillShareRow,
} from "../store/skill-shares.js";
import { findExchange } from "../store/exchanges.js";
import type { BarterContext } from "../context.js";
import { AnnounceSkillShareInput } from "./inputs.js";
import { toExchange } from "./mappers.js";
import {
  BarterCircle,
  circleRef,
  Exchange,
  memberRef,
  SkillShare,
  SkillSharePage,
  SkillShareSignup,
  SkillShareStanding,
} from "./types.js";

async function toSkillShare(context: BarterContext, row: SkillShareRow, viewer: Membership): Promise<SkillShare> {
  const signups = await signupsOf(context.db, row);
  const mine = signups.find((s) => s.memberId === viewer.memberId);
  const placesTaken = Math.min(signups.length, row.capacity);
  return Object.assign(new SkillShare(), {
    id: row.id,
    circle: circleRef(row.circleId),
    host: memberRef(row.hostMemberId),
    skill: row.skill,
    startsAt: row.startsAt,
    placeGeohash: row.placeGeohash,
    capacity: row.capacity,
    minutes: row.minutes,
    placesTaken,
    waitingCount: signups.length - placesTaken,
    attendanceRecordedAt: row.attendanceRecordedAt,
    yourStanding: mine
      ? Object.assign(new SkillShareStanding(), { hasPlace: mine.hasPlace, waitingPosition: mine.waitingPosition })
      : null,
    signups:
      row.hostMemberId === viewer.memberId
        ? signups.map((s) =>
            Object.assign(new SkillShareSignup(), {
              member: memberRef(s.memberId),
              hasPlace: s.hasPlace,
              waitingPosition: s.waitingPosition,
            }),
          )
        : null,
  });
}

async function ownSkillShare(
  context: BarterContext,
  id: string,
): Promise<{ row: SkillShareRow; membership: Membership }> {
  return requireOwnedRow(context.caller, await findSkillShare(context.db, id), NO_SUCH_SKILL_SHARE);
}

@Resolver(() => SkillShare)
export class SkillShareResolver {
  @Disclose("members")
  @Mutation(() => SkillShare, {
    description:
      "Announces a pop-up skill share you host: a skill, a time, a block-level place and a number of places.",
  })
  async announceSkillShare(
    @Arg("input", () => AnnounceSkillShareInput) input: AnnounceSkillShareInput,
    @Ctx() context: BarterContext,
  ): Promise<SkillShare> {
    const host = requireMembership(context.caller, input.circleId);
    const now = context.clock();
    const skill = normaliseSkill(input.skill);
    if ("problem" in skill) throw badInput(skill.problem);
    const place = normalisePlace(input.placeGeohash);
    if ("problem" in place) throw badInput(place.problem);
    const problem = capacityProblem(input.capacity) ?? startProblem(input.startsAt, now);
    if (problem) throw badInput(problem);
    if (
      !Number.isInteger(input.minutes) ||
      input.minutes < MIN_EXCHANGE_MINUTES ||
      input.minutes > MAX_EXCHANGE_MINUTES
    ) {
      throw badInput(
        `Each attendee's exchange is ${MIN_EXCHANGE_MINUTES} to ${MAX_EXCHANGE_MINUTES} minutes; got ${input.minutes}.`,
      );
    }
    const row = await announceSkillShare(
      context.db,
      {
        circleId: input.circleId,
        hostMemberId: host.memberId,
        skill: skill.skill,
        startsAt: input.startsAt,
        placeGeohash: place.placeGeohash,
        capacity: input.capacity,
        minutes: input.minutes,
      },
      now,
    );
    return toSkillShare(context, row, host);
  }

  @Disclose("members")
  @Mutation(() => SkillShare, {
    description: "Signs you up: the first to sign up get the places, the rest wait in order.",
  })
  async signUpForSkillShare(
    @Arg("skillShareId", () => ID) id: string,
    @Ctx() context: BarterContext,
  ): Promise<SkillShare> {
    const { row, membership } = await ownSkillShare(context, id);
    await signUpForSkillShare(context.db, row, membership, context.clock());
    return toSkillShare(context, await requireSkillShare(context.db, id), membership);
  }

  @Disclose("members")
  @Mutation(() => [Exchange], {
    description:
      "As the host, records who came, once it began: each attendee's exchange with you is proposed to them to confirm.",
  })
  async recordSkillShareAttendance(
    @Arg("skillShareId", () => ID) id: string,
    @Arg("attendeeMemberIds", () => [ID]) attendeeMemberIds: string[],
    @Ctx() context: BarterContext,
  ): Promise<Exchange[]> {
    const { row, membership } = await ownSkillShare(context, id);
    if (attendeeMemberIds.length === 0 || attendeeMemberIds.length > MAX_ATTENDEES_RECORDED)
      throw badInput(`Name 1 to ${MAX_ATTENDEES_RECORDED} attendees.`);
    const exchangeIds = await recordAttendance(context.db, row, membership, attendeeMemberIds, context.clock());
    const exchanges = await Promise.all(exchangeIds.map((exchangeId) => findExchange(context.db, exchangeId)));
    return exchanges.flatMap((exchange) => (exchange ? [toExchange(exchange)] : []));
  }
}

@Resolver(() => BarterCircle)
export class CircleSkillSharesResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @FieldResolver(() => SkillSharePage, {
    nullable: true,
    description: "The circle's pop-up skill shares, latest first. Members only.",
  })
  async skillShares(
    @Root() circle: BarterCircle,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() context: BarterContext,
  ): Promise<SkillSharePage> {
    const membership = requireMembership(context.caller, circle.id);
    const limit = pageSize(args.first, 50);
    const rows = await skillSharesOf(context.db, circle.id, limit + 1, decodeInstantCursor(args.after));
    const page = toPage(
      rows,
      limit,
      (row) => instantSortKey(row.startsAt, row.id),
      (row) => row,
    );
    return Object.assign(new SkillSharePage(), {
      nextCursor: page.nextCursor,
      items: await Promise.all(page.items.map((row) => toSkillShare(context, row, membership))),
    });
  }
}
