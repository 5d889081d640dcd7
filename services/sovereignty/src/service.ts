import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { sovereigntyConfigSchema } from "./config.js";
import { createLoaders, type SovereigntyContext } from "./context.js";
import { sovereigntyEntities } from "./entities/index.js";
import { circleSubscriptions } from "./jobs/circles.js";
import { notesTallyJob } from "./jobs/notes-tally.js";
import { sovereigntyMigrations } from "./migrations/index.js";
import { sovereigntyReferences } from "./references.js";
import { NoteResolver } from "./resolvers/note.resolver.js";

/** The sovereignty service, written once: src/main.ts runs it, and its tests start it with startTestService. */
export const sovereigntyService = defineService({
  name: "sovereignty",
  config: sovereigntyConfigSchema,
  entities: sovereigntyEntities,
  migrations: sovereigntyMigrations,
  resolvers: [NoteResolver],
  references: sovereigntyReferences,
  context: (base): SovereigntyContext => ({ ...base, ...createLoaders(base.db) }),
  // Queue jobs (queue `sovereignty.<purpose>`), one file each in src/jobs/.
  jobs: [],
  cycleJobs: [notesTallyJob],
  // Each topic is declared first in the kit's event catalogue (services/kit/src/events/catalogue.ts)
  // with producer "sovereignty", then written by src/store with emitEvent inside its transaction.
  emits: [],
  subscriptions: () => circleSubscriptions,
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildSovereigntySubgraph = () => buildServiceSubgraph(sovereigntyService);
