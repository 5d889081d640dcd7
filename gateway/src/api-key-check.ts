import type { GatewayPlugin } from "@graphql-hive/gateway";
import { API_KEY_HEADER, remoteApiKeyVerifier } from "@rhizome/kit/auth";
import { errorCodes, type Logger } from "@rhizome/kit/runtime";

/**
 * Rejects an unknown or revoked API key at the door with 401, as the JWT plugin does for a bad
 * token. The subgraphs still verify the key themselves; this only spares them the request.
 */
export function useApiKeyCheck(network: { networkUrl: string; tokenSecret: string }, logger: Logger): GatewayPlugin {
  const verify = remoteApiKeyVerifier({ ...network, service: "gateway" });
  return {
    async onRequest({ request, fetchAPI, endResponse }) {
      const key = request.headers.get(API_KEY_HEADER);
      if (!key) return;
      let isValid: boolean;
      try {
        isValid = (await verify(key)) !== undefined;
      } catch (error) {
        logger.warn({ err: error }, "could not verify an API key; leaving it to the subgraphs");
        return;
      }
      if (isValid) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              { message: "The API key is unknown or revoked.", extensions: { code: errorCodes.unauthenticated } },
            ],
          }),
          { status: 401, headers: { "content-type": "application/json; charset=utf-8" } },
        ),
      );
    },
  };
}
