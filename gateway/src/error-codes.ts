import type { GatewayPlugin } from "@graphql-hive/gateway";
import { GraphQLError } from "graphql";
import { errorCodes } from "@rhizome/kit/runtime";

/** What the JWT plugin says when it rejects a token; it gives no code. */
const JWT_PLUGIN_REJECTIONS = new Set([
  "Unauthenticated",
  "Invalid authentication token provided",
  "Invalid JWT authentication token prefix.",
  "Authentication header was set, but token is missing.",
]);

function withCode(error: GraphQLError, code: string, message = error.message, httpStatus?: number): GraphQLError {
  if (error.extensions?.code) return error;
  const http = httpStatus ? { ...(error.extensions?.http as object), status: httpStatus } : error.extensions?.http;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, ...(http ? { http } : {}), code },
  });
}

function withCodes(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((error) =>
    JWT_PLUGIN_REJECTIONS.has(error.message)
      ? withCode(error, errorCodes.unauthenticated, "The token is invalid or has expired. Log in again.", 401)
      : withCode(error, errorCodes.badUserInput),
  );
}

/**
 * Every error a client sees carries `extensions.code`. The gateway's own rejections
 * (operation limits, the JWT plugin) come without one, so this names them: a rejected
 * token is UNAUTHENTICATED, a rejected operation BAD_USER_INPUT.
 */
export function useErrorCodes(): GatewayPlugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length) return;
      setResult({ ...result, errors: withCodes(result.errors as GraphQLError[]) });
    },
  };
}
