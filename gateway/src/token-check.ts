import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { GraphQLError } from "graphql";
import { cachingPersonTokenVerifier, errorCodes } from "@rhizome/kit/edge";

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Rejects a forged or expired member token at the door with 401, before any planning; the
 * subgraphs verify it again themselves. A verified token is remembered until it expires (the kit's
 * verifier), where a JWT plugin checked the signature of every request anew and copied the whole
 * payload into every subgraph request, which no subgraph reads.
 */
export function useTokenCheck(tokenSecret: string): GatewayPlugin {
  const verify = cachingPersonTokenVerifier(tokenSecret);
  return {
    async onRequest({ request, fetchAPI, endResponse }) {
      const token = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
      if (!token) return;
      try {
        await verify(token);
      } catch (error) {
        const message = error instanceof GraphQLError ? error.message : "The token is invalid. Log in again.";
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: errorCodes.unauthenticated } }] }), {
            status: 401,
            headers: { "content-type": "application/json; charset=utf-8" },
          }),
        );
      }
    },
  };
}
