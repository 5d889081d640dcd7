import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { defenseConfigSchema } from "./config.js";
import { createLoaders, type DefenseContext } from "./context.js";
import { defenseEntities } from "./entities/index.js";
import { circleSubscriptions } from "./jobs/circles.js";
import { notesTallyJob } from "./jobs/notes-tally.js";
import { defenseMigrations } from "./migrations/index.js";
import { defenseReferences } from "./references.js";
import { NoteResolver } from "./resolvers/note.resolver.js";

/** The defense service, written once: src/main.ts runs it, and its tests start it with startTestService. */
export const defenseService = defineService({
  name: "defense",
  config: defenseConfigSchema,
  entities: defenseEntities,
  migrations: defenseMigrations,
  resolvers: [NoteResolver],
  references: defenseReferences,
  context: (base): DefenseContext => ({ ...base, ...createLoaders(base.db) }),
  // Queue jobs (queue `defense.<purpose>`), one file each in src/jobs/.
  jobs: [],
  cycleJobs: [notesTallyJob],
  // Each topic is declared first in the kit's event catalogue (services/kit/src/events/catalogue.ts)
  // with producer "defense", then written by src/store with emitEvent inside its transaction.
  emits: [],
  subscriptions: () => circleSubscriptions,
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildDefenseSubgraph = () => buildServiceSubgraph(defenseService);
