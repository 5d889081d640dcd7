import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { loaderByUuid, type Queue, type ServiceContext, type ServiceRuntime } from "@rhizome/kit";
import type { ToolsConfig } from "./config.js";
import { REMINDERS_QUEUE } from "./jobs/reminders.js";
import { toolsByIds, type ToolRow } from "./store/catalogue.js";
import { pendingHandOffsOf, type HandOffRow } from "./store/hand-offs.js";
import { loansByIds, type LoanRow } from "./store/loans.js";

export type ToolsLoaders = ReturnType<typeof createLoaders>;

/** What each request of tools sees: the kit's context (caller, db, clock ...), its loaders, and the reminders queue. */
export type ToolsContext = ServiceContext<ToolsConfig> &
  ToolsLoaders & {
    reminders: Queue;
    logger: ServiceRuntime<ToolsConfig>["logger"];
  };

/** Per-request DataLoaders: a page of 500 tools costs one query per kind of thing asked for, not 500. */
export function createLoaders(db: DataSource) {
  return {
    tools: loaderByUuid<ToolRow>(
      (row) => row.id,
      (ids) => toolsByIds(db, ids),
    ),
    loans: loaderByUuid<LoanRow>(
      (row) => row.id,
      (ids) => loansByIds(db, ids),
    ),
    /** The hand-off waiting for confirmation, by tool id. */
    pendingHandOffs: new DataLoader<string, HandOffRow | undefined>(async (toolIds) => {
      const rows = await pendingHandOffsOf(db, [...toolIds]);
      const byTool = new Map(rows.map((row) => [row.toolId, row]));
      return toolIds.map((id) => byTool.get(id));
    }),
  };
}

export function createToolsContext(
  base: ServiceContext<ToolsConfig>,
  runtime: ServiceRuntime<ToolsConfig>,
): ToolsContext {
  return { ...base, ...createLoaders(base.db), reminders: runtime.queue(REMINDERS_QUEUE), logger: runtime.logger };
}
