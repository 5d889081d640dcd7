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

/**
 * Whether a request to `service`'s /graphql carries the gateway's signature for it (the
 * `x-rhizome-gateway` header). Verified signatures are remembered until they expire, so the
 * gateway's one signature per minute costs one HMAC, not one per request.
 */
export function gatewaySignatureCheck(
  secret: string,
  service: string,
): (headers: Record<string, string | string[] | undefined>) => boolean | Promise<boolean> {
  const verified = new ExpiringLru<string, true>(VERIFIED_SIGNATURES_MAX);
  return (headers) => {
    const signature = headers[GATEWAY_SIGNATURE_HEADER];
    if (typeof signature !== "string") return false;
    if (verified.get(signature, Date.now()).isHit) return true;
    return verifyServiceToken(secret, signature, gatewaySignatureScope(service)).then(
      (caller) => {
        if (caller !== GATEWAY_SERVICE_NAME) return false;
        verified.set(signature, true, (decodeJwt(signature).exp ?? 0) * 1000);
        return true;
      },
      () => false,
    );
  };
}

/** The answer to a request without the gateway's signature (401). */
export const GATEWAY_SIGNATURE_REFUSAL = {
  errors: [
    { message: "This subgraph answers only the hub's gateway.", extensions: { code: errorCodes.unauthenticated } },
  ],
};

/** Express middleware for `service`'s /graphql: 401 unless the request carries the gateway's signature for it. */
export function requireGatewaySignature(secret: string, service: string): RequestHandler {
  const isSigned = gatewaySignatureCheck(secret, service);
  return (request, response, next) => {
    const refuse = () => response.status(401).json(GATEWAY_SIGNATURE_REFUSAL);
    const signed = isSigned(request.headers);
    if (signed === true) return next();
    if (signed === false) return refuse();
    signed.then((isValid) => (isValid ? next() : refuse()), refuse);
  };
}
