import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { registerEnumType } from "type-graphql";
import { requireId, requireMembership, Disclose } from "@rhizome/kit";
import { NO_CIRCLE } from "../actions/access.js";
import type { SovereigntyContext } from "../context.js";
import { newsletterLanguages, renderNewsletterHtml, type NewsletterLanguage } from "../domain/newsletter-html.js";
import { storiesOfCircle } from "../store/stories.js";
import { figuresOfCycles } from "../jobs/scores.js";
import { cycleOrLastClosed, cyclesEndingWith } from "./cycles.js";
import { toScore } from "./mappers.js";
import { toStory } from "./story.resolver.js";
import { Newsletter } from "./types.js";

/** Stories a newsletter carries at most; cycles its trend chart shows. */
export const NEWSLETTER_STORIES = 20;
export const NEWSLETTER_TREND_CYCLES = 6;

const NewsletterLanguageEnum = Object.fromEntries(newsletterLanguages.map((l) => [l, l])) as {
  [K in NewsletterLanguage]: K;
};
registerEnumType(NewsletterLanguageEnum, { name: "NewsletterLanguage", description: "EN: English; ES: Spanish." });

@Resolver(() => Newsletter)
export class NewsletterResolver {
  @Disclose("public")
  @Query(() => Newsletter, {
    description:
      "A cycle's newsletter (default: the last closed cycle): its published figures and stories, as data and as an HTML page with charts. Closed cycles are public; the current one is for members.",
  })
  async newsletter(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("cycle", () => String, { nullable: true }) label: string | null,
    @Arg("language", () => NewsletterLanguageEnum, { nullable: true, defaultValue: "EN" }) language: NewsletterLanguage,
    @Ctx() context: SovereigntyContext,
  ): Promise<Newsletter> {
    requireId(circleId, NO_CIRCLE);
    const now = context.clock();
    const cycle = cycleOrLastClosed(label, now);
    const isClosed = cycle.endsAt.getTime() <= now.getTime();
    if (!isClosed) requireMembership(context.caller, circleId);
    const cycles = cyclesEndingWith(cycle, NEWSLETTER_TREND_CYCLES);
    const figures = await figuresOfCycles(context.db, circleId, cycles, now);
    const cycleFigures = figures.get(cycle.label)!;
    const stories = await storiesOfCircle(context.db, {
      circleId,
      visibility: { kind: "published" },
      cycle: cycle.label,
      limit: NEWSLETTER_STORIES,
    });
    const html = renderNewsletterHtml({
      cycle: cycle.label,
      figures: cycleFigures,
      trend: cycles.map((c) => ({ cycle: c.label, value: figures.get(c.label)!.SOVEREIGNTY_EVENTS })),
      stories,
      language,
    });
    const score = toScore(circleId, cycle, isClosed, cycleFigures);
    return Object.assign(new Newsletter(), {
      circle: score.circle,
      cycle: cycle.label,
      figures: score,
      stories: stories.map(toStory),
      html,
    });
  }
}
