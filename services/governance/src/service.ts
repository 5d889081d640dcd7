import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { governanceConfigSchema } from "./config.js";
import { createContext } from "./context.js";
import { blocChangesJob } from "./jobs/bloc-changes.js";
import { governanceSubscriptions } from "./jobs/circles.js";
import { deadlinesJob } from "./jobs/deadlines.js";
import { cycleReviewJob, roleRotationJob } from "./jobs/new-moon.js";
import { governanceMigrations } from "./migrations/index.js";
import { governanceReferences } from "./references.js";
import { governanceResolvers } from "./resolvers/index.js";

/** Bodies and seats, draws, proposals and the decision log, pacts, constitution, assemblies, power map, experiments (G1-G9). */
export const governanceService = defineService({
  name: "governance",
  config: governanceConfigSchema,
  migrations: governanceMigrations,
  resolvers: governanceResolvers,
  references: governanceReferences,
  context: createContext,
  jobs: [deadlinesJob],
  cycleJobs: [roleRotationJob, cycleReviewJob, blocChangesJob],
  emits: ["command.replaced"],
  subscriptions: governanceSubscriptions,
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildGovernanceSubgraph = () => buildServiceSubgraph(governanceService);
