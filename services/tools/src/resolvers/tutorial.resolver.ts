import { Arg, Args, Ctx, Directive, Mutation, Query, Resolver } from "type-graphql";
import {
  accepted,
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  toPage,
  Disclose,
} from "@rhizome/kit";
import { publishTutorial } from "../actions/publish-tutorial.js";
import type { ToolsContext } from "../context.js";
import { normaliseCategory } from "../domain/catalogue.js";
import { tutorialsInCategory } from "../store/tutorials.js";
import { PublishTutorialInput } from "./inputs.js";
import { toTutorial } from "./mappers.js";
import { Tutorial, TutorialPage } from "./types.js";

@Resolver(() => Tutorial)
export class TutorialResolver {
  @Disclose("members")
  @Mutation(() => Tutorial, { description: "Publishes a repair tutorial for everyone to read. Members of the circle." })
  async publishTutorial(
    @Arg("input", () => PublishTutorialInput) input: PublishTutorialInput,
    @Ctx() context: ToolsContext,
  ): Promise<Tutorial> {
    const { circleId, title, markdown, categories } = input;
    return toTutorial(
      await publishTutorial(context, { circleId, title, markdown, categories, steps: input.steps ?? [] }),
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
    const normalised = accepted(normaliseCategory(category)).category;
    const limit = pageSize(page.first);
    const rows = await tutorialsInCategory(context.db, normalised, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new TutorialPage(),
      toPage(rows, limit, (row) => instantSortKey(row.publishedAt, row.id), toTutorial),
    );
  }
}
