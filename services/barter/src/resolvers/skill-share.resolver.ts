import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import {
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  type Membership,
  Disclose,
} from "@rhizome/kit";
import { announceSkillShare } from "../actions/announce-skill-share.js";
import { recordSkillShareAttendance } from "../actions/record-skill-share-attendance.js";
import { signUpForSkillShare } from "../actions/sign-up-for-skill-share.js";
import { signupsOf, skillSharesOf, type SkillShare as SkillShareRow } from "../store/skill-shares.js";
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
    const row = await announceSkillShare(context, { ...input });
    const host = requireMembership(context.caller, input.circleId);
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
    const { share, membership } = await signUpForSkillShare(context, { skillShareId: id });
    return toSkillShare(context, share, membership);
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
    const exchanges = await recordSkillShareAttendance(context, { skillShareId: id, attendeeMemberIds });
    return exchanges.map(toExchange);
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
