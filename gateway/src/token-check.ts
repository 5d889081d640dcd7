import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { GraphQLError } from "graphql";
import { cachingPersonTokenVerifier } from "@rhizome/kit/auth";
import { errorCodes } from "@rhizome/kit/runtime";

/** The one form of Authorization the hub reads; trusted-documents.ts asks the same. */
export const BEARER = /^Bearer\s+(\S+)$/i;

const unauthenticated = (fetchAPI: { Response: typeof Response }, message: string) =>
  new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: errorCodes.unauthenticated } }] }), {
    status: 401,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

/**
 * Rejects a forged or expired member token at the door with 401, before any planning; the
 * subgraphs verify it again themselves. A verified token is remembered until it expires (the kit's
 * verifier), where a JWT plugin checked the signature of every request anew and copied the whole
 * payload into every subgraph request, which no subgraph reads. An Authorization header that is
 * not `Bearer <token>` is refused here too: it names nobody, and must not pass for a member's
 * credential anywhere (the trusted documents' check, the public cache's bypass).
 */
export function useTokenCheck(tokenSecret: string): GatewayPlugin {
  const verify = cachingPersonTokenVerifier(tokenSecret);
  return {
    async onRequest({ request, fetchAPI, endResponse }) {
      const authorization = request.headers.get("authorization");
      if (authorization === null) return;
      const token = BEARER.exec(authorization)?.[1];
      if (!token) {
        endResponse(unauthenticated(fetchAPI, "The Authorization header must be `Bearer <token>`."));
        return;
      }
      try {
        await verify(token);
      } catch (error) {
        endResponse(
          unauthenticated(
            fetchAPI,
            error instanceof GraphQLError ? error.message : "The token is invalid. Log in again.",
          ),
        );
      }
    },
  };
}
