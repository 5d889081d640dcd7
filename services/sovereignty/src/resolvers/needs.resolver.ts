import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { badInput, isUuid, notFound, publishIfEnoughPeople, requireOwnedRow, Disclose } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { boardCategories, BOARD_NEEDS_SHOWN, checkNeed } from "../domain/needs.js";
import type { NeedRow } from "../entities/need.js";
import { closeNeed, needById, openNeeds, postNeed, publishedWaitingCounts } from "../store/needs.js";
import { requireOrganizerOrSteward } from "./access.js";
import { requireCircleId } from "./cycles.js";
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
    requireCircleId(circleId);
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
    const membership = requireOrganizerOrSteward(context.caller, input.circleId, "post needs");
    const need = checkNeed(input);
    if ("problem" in need) throw badInput(need.problem);
    return toNeed(await postNeed(context.db, input.circleId, need, membership.memberId, context.clock()));
  }

  @Disclose("members")
  @Mutation(() => BoardNeed, {
    description: "Takes a met or withdrawn need off the board. Organizers and stewards of its circle only.",
  })
  async closeNeed(@Arg("needId", () => ID) needId: string, @Ctx() context: SovereigntyContext): Promise<BoardNeed> {
    if (!isUuid(needId)) throw notFound("No need with that id in your circles.");
    const { row } = requireOwnedRow(
      context.caller,
      await needById(context.db, needId),
      "No need with that id in your circles.",
    );
    requireOrganizerOrSteward(context.caller, row.circleId, "close needs");
    return toNeed(await closeNeed(context.db, row, context.clock()));
  }
}
