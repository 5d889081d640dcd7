import { SignJWT, jwtVerify } from "jose";
import type { RequestHandler } from "express";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";

/**
 * Services call each other's internal endpoints (/internal/...) with a short-lived token of their
 * own, signed with the hub's TOKEN_SECRET for a separate audience, so a member's token never opens
 * an internal endpoint and nothing internal is open to an anonymous caller.
 */
export const SERVICE_TOKEN_AUDIENCE = "rhizome-internal";
export const SERVICE_TOKEN_TTL_SECONDS = 300;
const SERVICE_TOKEN_ISSUER = "rhizome";

export async function signServiceToken(secret: string, service: string, clock: Clock = systemClock): Promise<string> {
  const nowSeconds = Math.floor(clock().getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(service)
    .setIssuer(SERVICE_TOKEN_ISSUER)
    .setAudience(SERVICE_TOKEN_AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + SERVICE_TOKEN_TTL_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

/** The calling service's name, or undefined when the token is missing, forged or expired. */
export async function verifyServiceToken(secret: string, token: string, clock: Clock = systemClock): Promise<string | undefined> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: SERVICE_TOKEN_ISSUER,
      audience: SERVICE_TOKEN_AUDIENCE,
      algorithms: ["HS256"],
      currentDate: clock(),
    });
    return typeof payload.sub === "string" ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/** Express middleware for /internal routes: 401 unless the request carries a valid service token. */
export function requireServiceCredential(secret: string, clock: Clock = systemClock): RequestHandler {
  return (request, response, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    const reject = () => response.status(401).json({ error: "internal endpoint: a service credential is required" });
    if (!match) return reject();
    verifyServiceToken(secret, match[1], clock).then(
      (service) => (service ? next() : reject()),
      () => reject(),
    );
  };
}

/** Signs and caches a service token, renewing it well before it expires. */
export function serviceTokenSource(secret: string, service: string, clock: Clock = systemClock): () => Promise<string> {
  let cached: { token: string; renewAtMs: number } | undefined;
  return async () => {
    const nowMs = clock().getTime();
    if (!cached || cached.renewAtMs <= nowMs) {
      cached = { token: await signServiceToken(secret, service, clock), renewAtMs: nowMs + (SERVICE_TOKEN_TTL_SECONDS * 1000) / 2 };
    }
    return cached.token;
  };
}
