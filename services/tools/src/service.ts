import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { toolsConfigSchema } from "./config.js";
import { createLoaders, type ToolsContext } from "./context.js";
import { toolsEntities } from "./entities/index.js";
import { circleSubscriptions } from "./jobs/circles.js";
import { notesTallyJob } from "./jobs/notes-tally.js";
import { toolsMigrations } from "./migrations/index.js";
import { toolsReferences } from "./references.js";
import { NoteResolver } from "./resolvers/note.resolver.js";

/** The tools service, written once: src/main.ts runs it, and its tests start it with startTestService. */
export const toolsService = defineService({
  name: "tools",
  config: toolsConfigSchema,
  entities: toolsEntities,
  migrations: toolsMigrations,
  resolvers: [NoteResolver],
  references: toolsReferences,
  context: (base): ToolsContext => ({ ...base, ...createLoaders(base.db) }),
  // Queue jobs (queue `tools.<purpose>`), one file each in src/jobs/.
  jobs: [],
  cycleJobs: [notesTallyJob],
  // Each topic is declared first in the kit's event catalogue (services/kit/src/events/catalogue.ts)
  // with producer "tools", then written by src/store with emitEvent inside its transaction.
  emits: [],
  subscriptions: () => circleSubscriptions,
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildToolsSubgraph = () => buildServiceSubgraph(toolsService);
