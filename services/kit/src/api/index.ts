/**
 * A subgraph's GraphQL surface: the server, the schema build, disclosure classes, actions,
 * ownership, pagination, DataLoaders, and a small client for calling other GraphQL services.
 */
export {
  accepted,
  asGiven,
  defineAction,
  refusalError,
  requireId,
  requireOwned,
  type Action,
  type ActionDefinition,
  type ActionStep,
} from "./actions.js";
export {
  DISCLOSURE_DIRECTIVE_DEFINITION,
  DISCLOSURE_SPEC_URL,
  Disclose,
  audiences,
  discloseAs,
  enforceDisclosure,
  mayCallRoot,
  mayDisclose,
  spreadDisclosureClasses,
  subjectOf,
  type Audience,
  type DisclosureSubject,
} from "./disclosure.js";
export { isUuid, loaderByUuid } from "./loaders.js";
export { requireOwnedRow } from "./ownership.js";
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  PAGE_LIST_SIZE,
  PageArgs,
  PageOf,
  decodeCursor,
  decodeInstantCursor,
  decodeTextCursor,
  encodeCursor,
  instantSortKey,
  pageSize,
  toPage,
  type InstantCursor,
  type Page,
} from "./pagination.js";
export {
  MAX_REQUEST_BYTES,
  READINESS_CHECK_TIMEOUT_MS,
  serveSubgraph,
  type ReadinessCheck,
  type RequestContext,
  type RunningServer,
  type SubgraphServerOptions,
} from "./server.js";
export {
  FEDERATION_LINK,
  buildSubgraph,
  type BuiltSubgraph,
  type ReferenceResolver,
  type SubgraphDefinition,
} from "./subgraph.js";
