import { SignJWT } from "jose";
import type { RequestHandler } from "express";
import type { Clock } from "../runtime/clock.js";
import { systemClock } from "../runtime/clock.js";
import { verifyHs256 } from "./hs256.js";

/**
 * Services call each other's internal endpoints (/internal/...) with a short-lived token of their
 * own, signed with the hub's TOKEN_SECRET. Each token names its caller (the subject) and opens one
 * route of one service (the audience, `rhizome-internal:<service><route>`): a credential seen by one
 * service (the gateway's signature reaches every subgraph with every request) cannot be replayed
 * against another service, or against another route of the same one. A member's token never opens
 * an internal endpoint (another audience), and nothing internal is open to an anonymous caller.
 */
export const SERVICE_TOKEN_AUDIENCE_PREFIX = "rhizome-internal:";
export const SERVICE_TOKEN_TTL_SECONDS = 300;
const SERVICE_TOKEN_ISSUER = "rhizome";
/** Distinct (service, route) pairs one process keeps a credential for; far more than the hub has. */
const MAX_CACHED_CREDENTIALS = 256;

/** The one route of the one service a credential opens. */
export interface ServiceCredentialScope {
  /** The service that answers, e.g. "network". */
  target: string;
  /** Its path, e.g. "/internal/api-keys/verify". */
  route: string;
}

export const serviceTokenAudience = ({ target, route }: ServiceCredentialScope) =>
  `${SERVICE_TOKEN_AUDIENCE_PREFIX}${target}${route}`;

export async function signServiceToken(
  secret: string,
  caller: string,
  scope: ServiceCredentialScope,
  clock: Clock = systemClock,
): Promise<string> {
  const nowSeconds = Math.floor(clock().getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(caller)
    .setIssuer(SERVICE_TOKEN_ISSUER)
    .setAudience(serviceTokenAudience(scope))
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + SERVICE_TOKEN_TTL_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

/** The calling service's name, or undefined when the token is missing, forged, expired, or made for another service or route. */
export async function verifyServiceToken(
  secret: string,
  token: string,
  scope: ServiceCredentialScope,
  clock: Clock = systemClock,
): Promise<string | undefined> {
  try {
    const payload = verifyHs256(secret, token, {
      issuer: SERVICE_TOKEN_ISSUER,
      audience: serviceTokenAudience(scope),
      now: clock(),
    });
    return typeof payload.sub === "string" ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Express middleware for the /internal routes of `service`: 401 unless the request carries a valid
 * service token made for this service and this very route.
 */
export function requireServiceCredential(secret: string, service: string, clock: Clock = systemClock): RequestHandler {
  return (request, response, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    const reject = () =>
      response
        .status(401)
        .json({ error: "internal endpoint: a service credential for this service and route is required" });
    if (!match) return reject();
    verifyServiceToken(secret, match[1], { target: service, route: `${request.baseUrl}${request.path}` }, clock).then(
      (caller) => (caller ? next() : reject()),
      () => reject(),
    );
  };
}

/** Signs and caches `caller`'s credentials, one per service and route, renewing each well before it expires. */
export function serviceCredentialSource(
  secret: string,
  caller: string,
  clock: Clock = systemClock,
): (scope: ServiceCredentialScope) => Promise<string> {
  const cached = new Map<string, { token: string; renewAtMs: number }>();
  return async (scope) => {
    const audience = serviceTokenAudience(scope);
    const nowMs = clock().getTime();
    const known = cached.get(audience);
    if (known && known.renewAtMs > nowMs) return known.token;
    const token = await signServiceToken(secret, caller, scope, clock);
    if (!known && cached.size >= MAX_CACHED_CREDENTIALS) cached.delete(cached.keys().next().value!);
    cached.set(audience, { token, renewAtMs: nowMs + (SERVICE_TOKEN_TTL_SECONDS * 1000) / 2 });
    return token;
  };
}

/** `caller`'s credential for one route of one service, signed once and renewed well before it expires. */
export function serviceTokenSource(
  secret: string,
  caller: string,
  scope: ServiceCredentialScope,
  clock: Clock = systemClock,
): () => Promise<string> {
  const credentials = serviceCredentialSource(secret, caller, clock);
  return () => credentials(scope);
}
