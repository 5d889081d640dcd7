import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { publishIfEnoughPeople, requireId, Disclose } from "@rhizome/kit";
import { NO_CIRCLE } from "../actions/access.js";
import { closeNeed } from "../actions/close-need.js";
import { postNeed } from "../actions/post-need.js";
import type { SovereigntyContext } from "../context.js";
import { boardCategories, BOARD_NEEDS_SHOWN } from "../domain/needs.js";
import { publishedWaitingCounts } from "../jobs/board.js";
import { openNeeds, type NeedRow } from "../store/needs.js";
import { PostNeedInput } from "./inputs.js";
import { circleRef } from "./mappers.js";
import { BoardCategory, BoardNeed, NeedsBoard } from "./types.js";

function toNeed(row: NeedRow): BoardNeed {
  return Object.assign(new BoardNeed(), {
    id: row.id,
    category: row.category,
    title: row.title,
    peopleWaiting: publishIfEnoughPeople(row.peopleWaiting, row.peopleWaiting),
    postedAt: row.postedAt,
  });
}

@Resolver(() => NeedsBoard)
export class NeedsBoardResolver {
  @Disclose("public")
  @Query(() => NeedsBoard, {
    description: `A circle's public board of current needs: per category, the needs organizers posted and members' open barter requests and tool reservations waiting, and the ${BOARD_NEEDS_SHOWN} newest posted needs. Names no one; numbers of people below 5 are not shown. Members' needs are counted once per lunar cycle (at the first read after the new moon), and a category's count changes only when at least 5 members came or went since it was published, so a category only members' needs fill appears once 5 distinct members stood behind it at a new moon. Posted needs show at once.`,
  })
  async needsBoard(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: SovereigntyContext,
  ): Promise<NeedsBoard> {
    requireId(circleId, NO_CIRCLE);
    const [needs, waiting] = await Promise.all([
      openNeeds(context.db, circleId),
      publishedWaitingCounts(context.db, circleId, context.clock()),
    ]);
    return Object.assign(new NeedsBoard(), {
      circle: circleRef(circleId),
      categories: boardCategories(needs, waiting).map((figures) => Object.assign(new BoardCategory(), figures)),
      needs: needs.slice(0, BOARD_NEEDS_SHOWN).map(toNeed),
    });
  }

  @Disclose("members")
  @Mutation(() => BoardNeed, {
    description: "Posts a need on the circle's public board; name no one in it. Organizers and stewards only.",
  })
  async postNeed(
    @Arg("input", () => PostNeedInput) input: PostNeedInput,
    @Ctx() context: SovereigntyContext,
  ): Promise<BoardNeed> {
    return toNeed(await postNeed(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => BoardNeed, {
    description: "Takes a met or withdrawn need off the board. Organizers and stewards of its circle only.",
  })
  async closeNeed(@Arg("needId", () => ID) needId: string, @Ctx() context: SovereigntyContext): Promise<BoardNeed> {
    return toNeed(await closeNeed(context, { needId }));
  }
}
