import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { isOutageError, OUTAGE_RETRY_AFTER_SECONDS } from "./outages.js";

export const errorCodes = {
  badUserInput: "BAD_USER_INPUT",
  unauthenticated: "UNAUTHENTICATED",
  forbidden: "FORBIDDEN",
  notFound: "NOT_FOUND",
  conflict: "CONFLICT",
  /** A part of the hub (a subgraph, Redis) is down or slow: the same request may work in a few seconds. */
  serviceUnavailable: "SERVICE_UNAVAILABLE",
  /** Too many requests from one client; the response says when to try again (Retry-After). */
  rateLimited: "RATE_LIMITED",
  internal: "INTERNAL_SERVER_ERROR",
} as const;

export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes];

function failure(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  failure(errorCodes.badUserInput, message, extensions);
export const unauthenticated = (message = "Log in first: this needs a valid token.") =>
  failure(errorCodes.unauthenticated, message);
export const forbidden = (message = "You are not allowed to do this.") => failure(errorCodes.forbidden, message);
export const notFound = (message: string) => failure(errorCodes.notFound, message);
export const conflict = (message: string) => failure(errorCodes.conflict, message);
/** A named limit was reached; `retryAfterSeconds` says when the same request may succeed. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  failure(errorCodes.rateLimited, message, { retryAfterSeconds });
export const serviceUnavailable = (message: string) =>
  failure(errorCodes.serviceUnavailable, message, { retryable: true });

/** What a client reads while Postgres or Redis is unreachable. */
export const OUTAGE_MESSAGE =
  "The hub cannot reach its database or queue right now. Try again in a few seconds; a retry with the same idempotency key tells whether an earlier attempt took effect.";

/** An outage (Postgres, Redis or another service unreachable) as the client sees it: retryable, HTTP 503 with Retry-After. */
export function outageError(message = OUTAGE_MESSAGE): GraphQLError {
  return failure(errorCodes.serviceUnavailable, message, {
    retryable: true,
    http: { status: 503, headers: new Map([["retry-after", String(OUTAGE_RETRY_AFTER_SECONDS)]]) },
  });
}

const clientCodes = new Set<string>(Object.values(errorCodes).filter((c) => c !== errorCodes.internal));
const graphqlValidationCodes = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
]);

/** Whether an error with this code tells the client something it can act on (so its message may be shown). */
export function isClientErrorCode(code: unknown): boolean {
  return typeof code === "string" && (clientCodes.has(code) || graphqlValidationCodes.has(code));
}

interface ValidationIssue {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationIssue[];
}

function describeValidationIssues(issues: ValidationIssue[], prefix = ""): string[] {
  return issues.flatMap((issue) => {
    const path = prefix ? `${prefix}.${issue.property}` : issue.property;
    const own = Object.values(issue.constraints ?? {}).map((text) =>
      text.startsWith(issue.property) ? `${prefix ? `${prefix}.` : ""}${text}` : `${path} ${text}`,
    );
    return [...own, ...describeValidationIssues(issue.children ?? [], path)];
  });
}

/** Postgres gave up a transaction for another one's sake (deadlock, serialization): it wrote nothing, and the same request may simply be sent again. */
const CONCURRENCY_FAILURE_CODES = new Set(["40P01", "40001"]);
export const CONCURRENCY_FAILURE_MESSAGE =
  "Another change to the same records got in the way, so nothing was saved. Send the same request again.";

function isConcurrencyFailure(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  return CONCURRENCY_FAILURE_CODES.has(String(driverError?.code ?? code));
}

/**
 * Every error a client sees carries a code and a message a person can act on.
 * Anything unexpected becomes INTERNAL_SERVER_ERROR without its stack or message,
 * and is logged by the caller of this function.
 */
export function formatClientError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  const cause = original instanceof GraphQLError ? original.originalError : original;
  const validationIssues =
    (formatted.extensions?.validationErrors as ValidationIssue[] | undefined) ??
    (cause as { validationErrors?: ValidationIssue[] } | undefined)?.validationErrors;
  if (validationIssues) {
    const details = describeValidationIssues(validationIssues);
    return {
      message: `Invalid input: ${details.join("; ")}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: errorCodes.badUserInput },
    };
  }
  if (code && (clientCodes.has(code) || graphqlValidationCodes.has(code))) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (isOutageError(cause)) {
    return {
      message: OUTAGE_MESSAGE,
      path: formatted.path,
      extensions: { code: errorCodes.serviceUnavailable, retryable: true },
    };
  }
  if (isConcurrencyFailure(cause)) {
    return {
      message: CONCURRENCY_FAILURE_MESSAGE,
      path: formatted.path,
      extensions: { code: errorCodes.conflict, retryable: true },
    };
  }
  if (!code && original instanceof GraphQLError && !original.originalError) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: errorCodes.badUserInput },
    };
  }
  return {
    message: "Something went wrong on our side. Try again later; if it persists, tell the hub operator.",
    path: formatted.path,
    extensions: { code: errorCodes.internal },
  };
}

export function isUnexpectedError(formatted: GraphQLFormattedError): boolean {
  return formatted.extensions?.code === errorCodes.internal;
}
