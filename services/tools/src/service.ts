import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { toolsConfigSchema } from "./config.js";
import { createToolsContext } from "./context.js";
import { caretakerDrawJob } from "./jobs/caretaker-draw.js";
import { memberSubscriptions } from "./jobs/members.js";
import { reminderJob, reminderSweepJob } from "./jobs/reminders.js";
import { toolsMigrations } from "./migrations/index.js";
import { toolsReferences } from "./references.js";
import { CaretakerDrawResolver } from "./resolvers/caretaker-draw.resolver.js";
import { CatalogueResolver } from "./resolvers/catalogue.resolver.js";
import { CircleLibraryResolver } from "./resolvers/circle-library.resolver.js";
import { HandOffResolver } from "./resolvers/hand-off.resolver.js";
import { LoanResolver } from "./resolvers/loan.resolver.js";
import { MaintenanceResolver } from "./resolvers/maintenance.resolver.js";
import { MemberInboxResolver } from "./resolvers/member-inbox.resolver.js";
import { NotificationResolver } from "./resolvers/notification.resolver.js";
import { ReservationResolver } from "./resolvers/reservation.resolver.js";
import { TutorialResolver } from "./resolvers/tutorial.resolver.js";

/** The roaming tool library (T1-T6), written once: src/main.ts runs it, and its tests start it with startTestService. */
export const toolsService = defineService({
  name: "tools",
  config: toolsConfigSchema,
  migrations: toolsMigrations,
  resolvers: [
    CatalogueResolver,
    CircleLibraryResolver,
    CaretakerDrawResolver,
    ReservationResolver,
    HandOffResolver,
    LoanResolver,
    MaintenanceResolver,
    TutorialResolver,
    NotificationResolver,
    MemberInboxResolver,
  ],
  references: toolsReferences,
  context: createToolsContext,
  jobs: [reminderJob, reminderSweepJob],
  cycleJobs: [caretakerDrawJob],
  emits: ["loan.completed", "reservation.queued", "reservation.closed"],
  subscriptions: () => memberSubscriptions,
});

/** The subgraph schema and SDL, for composition (schema/subgraphs.ts). */
export const buildToolsSubgraph = () => buildServiceSubgraph(toolsService);
