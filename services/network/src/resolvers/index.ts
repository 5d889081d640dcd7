import { AccessResolver } from "./access.resolver.js";
import { CircleResolver } from "./circle.resolver.js";
import { MembershipResolver } from "./membership.resolver.js";
import { SessionResolver } from "./session.resolver.js";
import { PersistedOperationResolver } from "./persisted-operation.resolver.js";

/** Every resolver class of network's subgraph, for its service definition. */
export const networkResolvers = [
  CircleResolver,
  MembershipResolver,
  SessionResolver,
  AccessResolver,
  PersistedOperationResolver,
] as const;
