import "reflect-metadata";
import { buildServiceSubgraph, defineService } from "@rhizome/kit";
import { mountApiKeyVerification, verifyApiKey } from "./api-key-verification.js";
import { mountBlocLookup } from "./bloc-lookup.js";
import { networkConfigSchema } from "./config.js";
import { mountPersistedOperationLookup } from "./persisted-operation-lookup.js";
import { createLoaders, type NetworkContext } from "./context.js";
import { networkJobs } from "./jobs/index.js";
import { networkSubscriptions } from "./jobs/sister-exchanges.js";
import { networkMigrations } from "./migrations/index.js";
import { referenceResolvers } from "./references.js";
import { networkResolvers } from "./resolvers/index.js";
import { SisterCounterpart } from "./resolvers/types.js";
import { currentAccessOfPerson, currentCaller } from "./store/members.js";

export const SERVICE_NAME = "network";

/** Circles, members, login, invitations and API keys (F2, F4): who belongs where, which every other service learns from its events. */
export const networkService = defineService({
  name: SERVICE_NAME,
  config: networkConfigSchema,
  migrations: networkMigrations,
  resolvers: [...networkResolvers],
  orphanedTypes: [SisterCounterpart],
  references: referenceResolvers,
  context: (base): NetworkContext => ({ ...base, ...createLoaders(base.db) }),
  jobs: networkJobs,
  emits: ["circle.founded", "member.joined", "member.left", "member.bloc-change-scheduled"],
  subscriptions: () => networkSubscriptions,
  // Network owns memberships, so it never authorizes from what a token says: a revoked role or a
  // member who left is refused here at once.
  currentCaller: (caller, runtime) => currentCaller(runtime.db, caller),
  // It owns login sessions too: whether the token's session has ended comes in the same statement.
  currentAccess: (caller, runtime) => currentAccessOfPerson(runtime.db, caller),
  verifyApiKey: (runtime) => (key) => verifyApiKey(runtime.db, runtime.config.TOKEN_SECRET, key),
  operatorKey: (config) => config.OPERATOR_KEY,
  routes: (app, runtime) => {
    mountApiKeyVerification(app, runtime.db, runtime.config.TOKEN_SECRET);
    mountBlocLookup(app, runtime.db, runtime.config.TOKEN_SECRET, runtime.clock);
    mountPersistedOperationLookup(app, runtime.db, runtime.config.TOKEN_SECRET);
  },
});

export const buildNetworkSubgraph = () => buildServiceSubgraph(networkService);
