import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { sovereigntyConfigSchema } from "./config.js";
import { createLoaders, type SovereigntyContext } from "./context.js";
import { sovereigntySubscriptions } from "./jobs/events.js";
import { scoresJob } from "./jobs/scores.js";
import { sovereigntyMigrations } from "./migrations/index.js";
import { sovereigntyReferences } from "./references.js";
import { SovereigntyEventResolver } from "./resolvers/event.resolver.js";
import { SovereigntyScoreResolver } from "./resolvers/score.resolver.js";
import { ComparisonResolver } from "./resolvers/comparison.resolver.js";
import { NeedsBoardResolver } from "./resolvers/needs.resolver.js";
import { NewsletterResolver } from "./resolvers/newsletter.resolver.js";
import { StoryResolver } from "./resolvers/story.resolver.js";
import { MoneyResolver } from "./resolvers/money.resolver.js";

/**
 * The sovereignty ledger and narrative hub (S1-S4, F3): events from every service and by hand,
 * scores per circle and cycle, comparisons, stories, newsletters and the needs board.
 */
export const sovereigntyService = defineService({
  name: "sovereignty",
  config: sovereigntyConfigSchema,
  migrations: sovereigntyMigrations,
  resolvers: [
    SovereigntyEventResolver,
    SovereigntyScoreResolver,
    ComparisonResolver,
    StoryResolver,
    NewsletterResolver,
    NeedsBoardResolver,
    MoneyResolver,
  ],
  references: sovereigntyReferences,
  context: (base): SovereigntyContext => ({ ...base, ...createLoaders(base.db) }),
  cycleJobs: [scoresJob],
  subscriptions: () => sovereigntySubscriptions,
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildSovereigntySubgraph = () => buildServiceSubgraph(sovereigntyService);
