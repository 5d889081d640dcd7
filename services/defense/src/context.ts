import type { DataSource } from "typeorm";
import { loaderByUuid, type ServiceContext, type ServiceRuntime } from "@rhizome/kit";
import type { DefenseConfig } from "./config.js";
import { alertsByIds, type AlertRow } from "./store/alerts.js";
import { branchesByIds, respondersByIds, type BranchRow, type ResponderRow } from "./store/responders.js";
import { vaultOf, type Vault } from "./store/vault.js";

export type DefenseLoaders = ReturnType<typeof createLoaders>;

/** What each request of defense sees: the kit's context, the vault, the queues and its loaders. */
export type DefenseContext = ServiceContext<DefenseConfig> &
  DefenseLoaders & {
    vault: Vault;
    runtime: Pick<ServiceRuntime<DefenseConfig>, "queue" | "clock" | "logger">;
  };

/** Per-request DataLoaders: 500 references cost one query each kind, not 500. */
export function createLoaders(db: DataSource) {
  return {
    alerts: loaderByUuid<AlertRow>(
      (row) => row.id,
      (ids) => alertsByIds(db, ids),
    ),
    responders: loaderByUuid<ResponderRow>(
      (row) => row.id,
      (ids) => respondersByIds(db, ids),
    ),
    branches: loaderByUuid<BranchRow>(
      (row) => row.id,
      (ids) => branchesByIds(db, ids),
    ),
  };
}

export function createContext(
  base: ServiceContext<DefenseConfig>,
  runtime: ServiceRuntime<DefenseConfig>,
): DefenseContext {
  return { ...base, ...createLoaders(base.db), vault: vaultOf(base.config), runtime };
}
