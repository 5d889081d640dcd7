/**
 * Who is asking: tokens, API keys, service credentials, the gateway's signature, sessions that
 * ended, member access, persisted operations and operation limits. Light enough for the gateway.
 */
export {
  API_KEY_CACHE_MAX_ENTRIES,
  API_KEY_CACHE_TTL_MS,
  API_KEY_LENGTH,
  API_KEY_NEGATIVE_CACHE_TTL_MS,
  API_KEY_VERIFY_PATH,
  API_KEY_VERIFY_TIMEOUT_MS,
  hasValidApiKeyChecksum,
  newApiKey,
  remoteApiKeyVerifier,
  type RemoteApiKeyVerifierOptions,
} from "./api-keys.js";
export {
  API_KEY_HEADER,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  OPERATOR_KEY_HEADER,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  anonymous,
  apiKeyScopes,
  cachingPersonTokenVerifier,
  hasRole,
  hashSecret,
  isMemberOf,
  membershipIn,
  ownMembership,
  newSecret,
  requireMembership,
  requirePerson,
  requireRole,
  resolveCaller,
  signPersonToken,
  verifyPersonToken,
  type ApiKeyScope,
  type ApiKeyVerifier,
  type Caller,
  type CredentialSources,
  type Membership,
  type PersonTokenTiming,
  type PersonTokenVerifier,
} from "./auth.js";
export { endedSessionKey, isSessionEnded, markSessionsEnded } from "./ended-sessions.js";
export {
  GATEWAY_SERVICE_NAME,
  GATEWAY_SIGNATURE_HEADER,
  SUBGRAPH_GRAPHQL_ROUTE,
  gatewaySignatureScope,
  gatewaySignatureSource,
} from "./gateway-signature.js";
export {
  requireGatewaySignature,
  subgraphAccessModes,
  subgraphAccessOf,
  type SubgraphAccess,
} from "./gateway-trust.js";
export {
  SERVICE_TOKEN_AUDIENCE_PREFIX,
  SERVICE_TOKEN_TTL_SECONDS,
  requireServiceCredential,
  serviceCredentialSource,
  serviceTokenAudience,
  serviceTokenSource,
  signServiceToken,
  verifyServiceToken,
  type ServiceCredentialScope,
} from "./internal-auth.js";
export {
  MEMBER_ACCESS_MARGIN_SECONDS,
  currentAccessOf,
  recordMemberAccess,
  type CurrentAccess,
  type MemberAccess,
} from "./member-access.js";
export {
  MEMBER_BLOC_PATH,
  MEMBER_BLOC_TIMEOUT_MS,
  remoteMemberBlocLookup,
  type MemberBloc,
  type MemberBlocLookup,
  type RemoteMemberBlocOptions,
} from "./member-bloc.js";
export {
  OPERATION_LIMITS,
  QUERY_PLANNER_TOKEN_ALLOWANCE,
  subgraphValidationRules,
  type OperationLimits,
} from "./operation-limits.js";
export {
  MAX_PERSISTED_OPERATION_CHARS,
  PERSISTED_OPERATION_LOOKUP_PATH,
  persistedOperationId,
} from "./persisted-operations.js";
