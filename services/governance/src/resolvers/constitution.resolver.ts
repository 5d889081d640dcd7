import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { requireMembership, Disclose } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { edgeOnlyUntil, isEdgeOnlyPeriod } from "../domain/constitution.js";
import { foundingDatesOf } from "../store/circles.js";
import { articlesOfCircle, versionsOf } from "../store/constitution.js";
import { toArticle } from "./mappers.js";
import { Article, ArticleVersion, Constitution } from "./types.js";

@Resolver(() => Article)
export class ConstitutionResolver {
  @Disclose("members")
  @Query(() => Constitution, {
    description:
      "Your circle's living constitution: its articles with full history, and whether amendments are still edge-only. Members only.",
  })
  async constitution(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: GovernanceContext,
  ): Promise<Constitution> {
    requireMembership(context.caller, circleId);
    const foundedAt = (await foundingDatesOf(context.db, [circleId])).get(circleId);
    return Object.assign(new Constitution(), {
      articles: (await articlesOfCircle(context.db, circleId)).map(toArticle),
      edgeOnlyUntil: foundedAt ? edgeOnlyUntil(foundedAt) : null,
      isEdgeOnly: isEdgeOnlyPeriod(foundedAt, context.clock()),
    });
  }

  @Disclose("members")
  @FieldResolver(() => [ArticleVersion], { description: "Every version, oldest first." })
  async versions(@Root() article: Article, @Ctx() context: GovernanceContext): Promise<ArticleVersion[]> {
    const [versions] = await versionsOf(context.db, [article.id]);
    return versions.map((v) => Object.assign(new ArticleVersion(), v));
  }
}
