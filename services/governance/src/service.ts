import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { governanceConfigSchema } from "./config.js";
import { createLoaders, type GovernanceContext } from "./context.js";
import { governanceEntities } from "./entities/index.js";
import { circleSubscriptions } from "./jobs/circles.js";
import { notesTallyJob } from "./jobs/notes-tally.js";
import { governanceMigrations } from "./migrations/index.js";
import { governanceReferences } from "./references.js";
import { NoteResolver } from "./resolvers/note.resolver.js";

/** The governance service, written once: src/main.ts runs it, and its tests start it with startTestService. */
export const governanceService = defineService({
  name: "governance",
  config: governanceConfigSchema,
  entities: governanceEntities,
  migrations: governanceMigrations,
  resolvers: [NoteResolver],
  references: governanceReferences,
  context: (base): GovernanceContext => ({ ...base, ...createLoaders(base.db) }),
  // Queue jobs (queue `governance.<purpose>`), one file each in src/jobs/.
  jobs: [],
  cycleJobs: [notesTallyJob],
  // Each topic is declared first in the kit's event catalogue (services/kit/src/events/catalogue.ts)
  // with producer "governance", then written by src/store with emitEvent inside its transaction.
  emits: [],
  subscriptions: () => circleSubscriptions,
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildGovernanceSubgraph = () => buildServiceSubgraph(governanceService);
