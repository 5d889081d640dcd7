import type { RequestHandler } from "express";
import { decodeJwt } from "jose";
import { errorCodes } from "../runtime/errors.js";
import { ExpiringLru } from "../runtime/expiring-lru.js";
import { verifyServiceToken } from "./internal-auth.js";
import { GATEWAY_SERVICE_NAME, GATEWAY_SIGNATURE_HEADER, gatewaySignatureScope } from "./gateway-signature.js";

export * from "./gateway-signature.js";

export const subgraphAccessModes = ["gateway-only", "open"] as const;
export type SubgraphAccess = (typeof subgraphAccessModes)[number];

/** Default: gateway-only in production, open elsewhere (tests and benchmarks call subgraphs directly). */
export function subgraphAccessOf(setting: SubgraphAccess | undefined, isProduction: boolean): SubgraphAccess {
  return setting ?? (isProduction ? "gateway-only" : "open");
}

const VERIFIED_SIGNATURES_MAX = 64;

/** Express middleware for `service`'s /graphql: 401 unless the request carries the gateway's signature for it. Verified signatures are remembered until they expire. */
export function requireGatewaySignature(secret: string, service: string): RequestHandler {
  const verified = new ExpiringLru<string, true>(VERIFIED_SIGNATURES_MAX);
  return (request, response, next) => {
    const signature = request.headers[GATEWAY_SIGNATURE_HEADER];
    const nowMs = Date.now();
    if (typeof signature === "string" && verified.get(signature, nowMs).isHit) return next();
    const refuse = () =>
      response.status(401).json({
        errors: [
          {
            message: "This subgraph answers only the hub's gateway.",
            extensions: { code: errorCodes.unauthenticated },
          },
        ],
      });
    if (typeof signature !== "string") return refuse();
    verifyServiceToken(secret, signature, gatewaySignatureScope(service)).then(
      (service) => {
        if (service !== GATEWAY_SERVICE_NAME) return refuse();
        verified.set(signature, true, (decodeJwt(signature).exp ?? 0) * 1000);
        next();
      },
      () => refuse(),
    );
  };
}
