import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  decodeInstantCursor,
  hasRole,
  instantSortKey,
  membershipIn,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireId,
  toPage,
  type Caller,
  Disclose,
} from "@rhizome/kit";
import { NO_CIRCLE } from "../actions/access.js";
import { reviewStory } from "../actions/review-story.js";
import { setStoryConsent } from "../actions/set-story-consent.js";
import { submitStory } from "../actions/submit-story.js";
import type { SovereigntyContext } from "../context.js";
import { isStoryPublished, storyStatus } from "../domain/stories.js";
import { storiesOfCircle, type StoryRow } from "../store/stories.js";
import { SubmitStoryInput } from "./inputs.js";
import { circleRef } from "./mappers.js";
import { SovereigntyStory, SovereigntyStoryPage } from "./types.js";

export function toStory(row: StoryRow): SovereigntyStory {
  return Object.assign(new SovereigntyStory(), {
    id: row.id,
    circle: circleRef(row.circleId),
    cycle: row.cycle,
    title: row.title,
    body: row.body,
    status: storyStatus(row),
    tellerConsents: row.tellerConsents,
    submittedAt: row.submittedAt,
  });
}

/** A published story is public; before that, only its teller and the circle's stewards see it. */
export function canSeeStory(caller: Caller, row: StoryRow): boolean {
  if (isStoryPublished(row)) return true;
  const membership = membershipIn(caller, row.circleId);
  return (
    !!membership &&
    (membership.roles.includes("steward") ||
      (row.tellerMemberId !== null && row.tellerMemberId === membership.memberId))
  );
}

@Resolver(() => SovereigntyStory)
export class StoryResolver {
  @Disclose("members")
  @Mutation(() => SovereigntyStory, {
    description:
      "Tells a story of your circle. It is stored with your replacements applied, and shown only with your consent after a steward approves it. Members only.",
  })
  async submitStory(
    @Arg("input", () => SubmitStoryInput) input: SubmitStoryInput,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyStory> {
    return toStory(await submitStory(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => SovereigntyStory, {
    description:
      "Gives or withdraws your consent to publishing your story; withdrawn, it disappears at once. The teller only.",
  })
  async setStoryConsent(
    @Arg("storyId", () => ID) storyId: string,
    @Arg("consents", () => Boolean) consents: boolean,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyStory> {
    return toStory(await setStoryConsent(context, { storyId, consents }));
  }

  @Disclose("stewards")
  @Mutation(() => SovereigntyStory, {
    description: "Approves or declines a story awaiting review. Stewards only, and never their own story.",
  })
  async reviewStory(
    @Arg("storyId", () => ID) storyId: string,
    @Arg("approve", () => Boolean) approve: boolean,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyStory> {
    return toStory(await reviewStory(context, { storyId, approve }));
  }

  @Disclose("viewer")
  @FieldResolver(() => Boolean, {
    description: "Whether you told this story (so you may withdraw your consent); false for everyone else.",
  })
  async toldByMe(@Root() story: SovereigntyStory, @Ctx() context: SovereigntyContext): Promise<boolean> {
    const membership = membershipIn(context.caller, story.circle.id);
    if (!membership) return false;
    const row = await context.stories.load(story.id);
    return row?.tellerMemberId != null && row.tellerMemberId === membership.memberId;
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("public")
  @Query(() => SovereigntyStoryPage, {
    description:
      "A circle's stories, newest first: published ones for anyone; a steward also sees those awaiting review, a member also their own.",
  })
  async circleStories(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyStoryPage> {
    requireId(circleId, NO_CIRCLE);
    const limit = pageSize(page.first);
    const membership = membershipIn(context.caller, circleId);
    const visibility = hasRole(context.caller, circleId, "steward")
      ? ({ kind: "all" } as const)
      : membership
        ? ({ kind: "publishedOrTold", memberId: membership.memberId } as const)
        : ({ kind: "published" } as const);
    const rows = await storiesOfCircle(context.db, {
      circleId,
      visibility,
      after: decodeInstantCursor(page.after),
      limit: limit + 1,
    });
    return Object.assign(
      new SovereigntyStoryPage(),
      toPage(rows, limit, (row) => instantSortKey(row.submittedAt, row.id), toStory),
    );
  }
}
