import type { RequestHandler } from "express";
import { decodeJwt } from "jose";
import { errorCodes } from "./errors.js";
import { ExpiringLru } from "./expiring-lru.js";
import { serviceTokenSource, verifyServiceToken } from "./internal-auth.js";

/**
 * In production a subgraph answers only the hub's gateway: the gateway sends a short-lived service
 * token of its own (subject "gateway", signed with the hub's TOKEN_SECRET) in this header with
 * every subgraph request, and the subgraph refuses any request without a valid one. A member's
 * token never passes for it (another audience), nor does another service's.
 */
export const GATEWAY_SIGNATURE_HEADER = "x-rhizome-gateway";
export const GATEWAY_SERVICE_NAME = "gateway";

export const subgraphAccessModes = ["gateway-only", "open"] as const;
export type SubgraphAccess = (typeof subgraphAccessModes)[number];

/** Default: gateway-only in production, open elsewhere (tests and benchmarks call subgraphs directly). */
export function subgraphAccessOf(setting: SubgraphAccess | undefined, isProduction: boolean): SubgraphAccess {
  return setting ?? (isProduction ? "gateway-only" : "open");
}

/** The gateway's signature, renewed well before it expires. */
export function gatewaySignatureSource(secret: string): () => Promise<string> {
  return serviceTokenSource(secret, GATEWAY_SERVICE_NAME);
}

const VERIFIED_SIGNATURES_MAX = 64;

/** Express middleware: 401 unless the request carries the gateway's signature. Verified signatures are remembered until they expire. */
export function requireGatewaySignature(secret: string): RequestHandler {
  const verified = new ExpiringLru<string, true>(VERIFIED_SIGNATURES_MAX);
  return (request, response, next) => {
    const signature = request.headers[GATEWAY_SIGNATURE_HEADER];
    const nowMs = Date.now();
    if (typeof signature === "string" && verified.get(signature, nowMs).isHit) return next();
    const refuse = () =>
      response.status(401).json({ errors: [{ message: "This subgraph answers only the hub's gateway.", extensions: { code: errorCodes.unauthenticated } }] });
    if (typeof signature !== "string") return refuse();
    verifyServiceToken(secret, signature).then(
      (service) => {
        if (service !== GATEWAY_SERVICE_NAME) return refuse();
        verified.set(signature, true, (decodeJwt(signature).exp ?? 0) * 1000);
        next();
      },
      () => refuse(),
    );
  };
}
