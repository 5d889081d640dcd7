import type { GatewayPlugin } from "@graphql-hive/gateway";
import { GraphQLError } from "graphql";
import { errorCodes, isClientErrorCode } from "@rhizome/kit/runtime";

/** How long a client should wait before asking again when part of the hub is not answering. */
export const RETRY_AFTER_SECONDS = 5;

/** What the HTTP executor, the upstream timeout and a dead or closing socket say when a subgraph does not answer. */
const UNANSWERED =
  /fetch failed|timed? ?out|timeout|aborted|ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|other side closed|terminated|No response returned|Unexpected response|Failed to fetch|connect/i;
const UPSTREAM_FAILURE_CODES = new Set([
  "DOWNSTREAM_SERVICE_ERROR",
  "SUBREQUEST_HTTP_ERROR",
  "TIMEOUT_ERROR",
  "GATEWAY_TIMEOUT",
]);

/** The gateway's own refusals that tell the client what to change (demand control's cost limit). */
function isGatewayClientCode(code: unknown): boolean {
  return typeof code === "string" && code.startsWith("COST_");
}

function messagesOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const { message, name, code, cause, originalError } = current as {
      message?: unknown;
      name?: unknown;
      code?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    parts.push(...[message, name, code].filter((part): part is string => typeof part === "string"));
    current = originalError ?? cause;
  }
  return parts.join(" ");
}

function isUnanswered(error: unknown, code: unknown): boolean {
  return (typeof code === "string" && UPSTREAM_FAILURE_CODES.has(code)) || UNANSWERED.test(messagesOf(error));
}

/** The HTTP status and headers an error asks for, always applied (a rebuilt error is the gateway's own answer). */
function statusOnly(http: unknown): { status?: number; headers?: Record<string, string> } {
  const { status, headers } = http as { status?: number; headers?: Record<string, string> };
  return { ...(status ? { status } : {}), ...(headers ? { headers } : {}) };
}

function unavailable(service: string | undefined, source?: GraphQLError): GraphQLError {
  const part = service ? `The ${service} service` : "Part of the hub";
  return new GraphQLError(
    `${part} is not answering, so the fields it serves are missing. Try again in a few seconds.`,
    {
      nodes: source?.nodes,
      path: source?.path,
      extensions: { code: errorCodes.serviceUnavailable, retryable: true, ...(service ? { service } : {}) },
    },
  );
}

/**
 * Every error the gateway sends, rebuilt from a few known parts: a message meant for the client,
 * its path and its code. Nothing else survives, in any mode: not the subgraph request (whose
 * headers carry the member's token), not a subgraph's address, not a stack. A subgraph that is
 * down, restarting or too slow becomes SERVICE_UNAVAILABLE for its own fields, with `retryable`.
 */
export function maskGatewayError(error: unknown): GraphQLError {
  const graphqlError = error instanceof GraphQLError ? error : undefined;
  const extensions = (graphqlError?.extensions ?? {}) as Record<string, unknown>;
  const code = extensions.code;
  const service = typeof extensions.serviceName === "string" ? extensions.serviceName : undefined;
  // Yoga's, graphql-js's and the limit plugins' own errors, already as plain as this would make them.
  const isPlain = Object.keys(extensions).every((key) => key === "code" || key === "http");
  if (
    graphqlError &&
    !graphqlError.originalError &&
    isPlain &&
    (code === undefined || isClientErrorCode(code) || isGatewayClientCode(code))
  )
    return graphqlError;
  if (
    graphqlError &&
    (isClientErrorCode(code) || isGatewayClientCode(code) || code === errorCodes.serviceUnavailable)
  ) {
    return new GraphQLError(graphqlError.message, {
      nodes: graphqlError.nodes,
      path: graphqlError.path,
      extensions: {
        code,
        ...(extensions.http ? { http: statusOnly(extensions.http) } : {}),
        ...(extensions.retryable ? { retryable: true } : {}),
      },
    });
  }
  if (isUnanswered(error, code)) return unavailable(service, graphqlError);
  if (graphqlError && !code && !graphqlError.originalError) {
    // The gateway's own refusals (limits, the JWT plugin): their code is added by useErrorCodes.
    return new GraphQLError(graphqlError.message, {
      nodes: graphqlError.nodes,
      path: graphqlError.path,
      extensions: extensions.http ? { http: extensions.http } : {},
    });
  }
  return new GraphQLError("Something went wrong on our side. Try again later; if it persists, tell the hub operator.", {
    nodes: graphqlError?.nodes,
    path: graphqlError?.path,
    extensions: { code: errorCodes.internal },
  });
}

/**
 * When part of the hub did not answer: with no data at all, HTTP 503 and Retry-After; with some
 * data (the fields of live subgraphs), 200 and the retryable errors beside it.
 */
export function useUnavailableStatus(): GatewayPlugin {
  return {
    // A failed fetch does not say which subgraph it was for; the error masker needs the name.
    onSubgraphExecute({ subgraphName }) {
      return ({ result, setResult }) => {
        if (Symbol.asyncIterator in result || !result.errors?.length) return;
        setResult({
          ...result,
          errors: result.errors.map((error) =>
            error.extensions?.serviceName
              ? error
              : new GraphQLError(error.message, {
                  nodes: error.nodes,
                  path: error.path,
                  originalError: error.originalError,
                  extensions: { ...error.extensions, serviceName: subgraphName },
                }),
          ),
        });
      };
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length) return;
      const hasData = result.data !== null && result.data !== undefined;
      if (hasData || !result.errors.some((error) => error.extensions?.code === errorCodes.serviceUnavailable)) return;
      setResult({
        ...result,
        errors: result.errors.map((error, i) =>
          i === 0
            ? new GraphQLError(error.message, {
                path: error.path,
                extensions: {
                  ...error.extensions,
                  http: { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
                },
              })
            : error,
        ),
      });
    },
  };
}
