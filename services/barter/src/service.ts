import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { barterConfigSchema } from "./config.js";
import { createLoaders, type BarterContext } from "./context.js";
import { expiryJob } from "./jobs/expiry.js";
import { completionRetryJob } from "./jobs/completions.js";
import { memberSubscriptions } from "./jobs/members.js";
import { barterMetrics } from "./metrics.js";
import { barterMigrations } from "./migrations/index.js";
import { referenceResolvers } from "./references.js";
import { CircleBarterResolver } from "./resolvers/circle-barter.resolver.js";
import { ExchangeResolver } from "./resolvers/exchange.resolver.js";
import { CircleListingsResolver, ListingResolver } from "./resolvers/listing.resolver.js";
import { MemberBalanceResolver } from "./resolvers/member-balance.resolver.js";
import { CycleThemeResolver } from "./resolvers/theme.resolver.js";
import { CircleSkillSharesResolver, SkillShareResolver } from "./resolvers/skill-share.resolver.js";
import { CircleSistersResolver, SisterExchangeResolver, SisterLinkResolver } from "./resolvers/sister.resolver.js";
import { CreditCommonsResolver } from "./resolvers/credit-commons.resolver.js";
import { mountCreditCommonsNode } from "./credit-commons/routes.js";

export const SERVICE_NAME = "barter";

/** The barter circle (B1-B6): listings, the time-credit ledger, exchanges, expiry at every new moon, summaries. */
export const barterService = defineService({
  name: SERVICE_NAME,
  config: barterConfigSchema,
  migrations: barterMigrations,
  resolvers: [
    ListingResolver,
    CircleListingsResolver,
    ExchangeResolver,
    CircleBarterResolver,
    MemberBalanceResolver,
    SisterLinkResolver,
    CircleSistersResolver,
    SisterExchangeResolver,
    CycleThemeResolver,
    SkillShareResolver,
    CircleSkillSharesResolver,
    CreditCommonsResolver,
  ],
  references: referenceResolvers,
  context: (base, runtime): BarterContext => ({
    ...base,
    ...createLoaders(base.db),
    metrics: barterMetrics(runtime.registry),
  }),
  jobs: [completionRetryJob],
  cycleJobs: [expiryJob],
  emits: ["exchange.confirmed", "cycle.expired", "request.opened", "request.closed"],
  subscriptions: () => memberSubscriptions,
  operatorKey: (config) => config.OPERATOR_KEY,
  // The hub's Credit Commons node (when CC_NODE_PATH is set): the protocol's routes under /cc/.
  routes: (app, runtime) => mountCreditCommonsNode(app, runtime),
});

export const buildBarterSubgraph = () => buildServiceSubgraph(barterService);
