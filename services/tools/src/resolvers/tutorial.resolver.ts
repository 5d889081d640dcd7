import { Arg, Args, Ctx, Directive, Mutation, Query, Resolver } from "type-graphql";
import {
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { normaliseCategory } from "../domain/catalogue.js";
import { normaliseTutorial } from "../domain/tutorials.js";
import { publishTutorial, tutorialsInCategory } from "../store/tutorials.js";
import { PublishTutorialInput } from "./inputs.js";
import { toTutorial } from "./mappers.js";
import { Tutorial, TutorialPage } from "./types.js";
import { valueOrBadInput } from "./validate.js";

@Resolver(() => Tutorial)
export class TutorialResolver {
  @Disclose("members")
  @Mutation(() => Tutorial, { description: "Publishes a repair tutorial for everyone to read. Members of the circle." })
  async publishTutorial(
    @Arg("input", () => PublishTutorialInput) input: PublishTutorialInput,
    @Ctx() context: ToolsContext,
  ): Promise<Tutorial> {
    const membership = requireMembership(context.caller, input.circleId);
    const { tutorial } = valueOrBadInput(
      normaliseTutorial({
        title: input.title,
        markdown: input.markdown,
        categories: input.categories,
        steps: input.steps ?? [],
      }),
    );
    return toTutorial(
      await publishTutorial(context.db, input.circleId, membership.memberId, tutorial, context.clock()),
    );
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("public")
  @Query(() => TutorialPage, {
    description: "Repair tutorials of every circle in a tool category, newest first. Public.",
  })
  async tutorials(
    @Arg("category", () => String) category: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: ToolsContext,
  ): Promise<TutorialPage> {
    const normalised = valueOrBadInput(normaliseCategory(category)).category;
    const limit = pageSize(page.first);
    const rows = await tutorialsInCategory(context.db, normalised, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new TutorialPage(),
      toPage(rows, limit, (row) => instantSortKey(row.publishedAt, row.id), toTutorial),
    );
  }
}
