import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { defenseConfigSchema } from "./config.js";
import { createContext } from "./context.js";
import { memberSubscriptions } from "./jobs/circles.js";
import { escalationJob } from "./jobs/escalation.js";
import { startSweeping, type SweepStep } from "./jobs/sweep.js";
import { webhookJob } from "./jobs/webhooks.js";
import { defenseMigrations } from "./migrations/index.js";
import { defenseReferences } from "./references.js";
import { AlertResolver } from "./resolvers/alert.resolver.js";
import { InboxResolver } from "./resolvers/inbox.resolver.js";
import { MemberInboxResolver } from "./resolvers/member-inbox.resolver.js";
import { CaseNoteResolver } from "./resolvers/note.resolver.js";
import { FundResolver } from "./resolvers/fund.resolver.js";
import { HousingResolver } from "./resolvers/housing.resolver.js";
import { AgreementResolver } from "./resolvers/agreement.resolver.js";
import { HearingResolver } from "./resolvers/hearing.resolver.js";
import { DisputeResolver } from "./resolvers/dispute.resolver.js";
import { accompanimentJob, accompanimentSweep } from "./jobs/accompaniment.js";
import { ResponderResolver } from "./resolvers/responder.resolver.js";

/** What the sweep does besides alerts and webhooks. */
export const sweepSteps: SweepStep[] = [accompanimentSweep];

/** Mutual defense (D1-D7). src/main.ts runs it, and its tests start it with startTestService. */
export const defenseService = defineService({
  name: "defense",
  config: defenseConfigSchema,
  migrations: defenseMigrations,
  resolvers: [
    AlertResolver,
    ResponderResolver,
    InboxResolver,
    MemberInboxResolver,
    CaseNoteResolver,
    FundResolver,
    HousingResolver,
    AgreementResolver,
    HearingResolver,
    DisputeResolver,
  ],
  references: defenseReferences,
  context: createContext,
  jobs: [escalationJob, webhookJob, accompanimentJob],
  emits: ["dispute.mediated", "crisis.buffered"],
  subscriptions: (runtime) => {
    // Called once as a worker starts: the sweep lives as long as the service's database.
    startSweeping(runtime, sweepSteps);
    return memberSubscriptions;
  },
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildDefenseSubgraph = () => buildServiceSubgraph(defenseService);
