import { createHmac, timingSafeEqual } from "node:crypto";

/** The claims the hub's tokens carry; anything else in the payload is the caller's to read. */
export interface Hs256Payload {
  sub?: unknown;
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
  [claim: string]: unknown;
}

export interface Hs256Expectations {
  issuer: string;
  audience: string;
  /** The instant that decides expiry. */
  now: Date;
}

export class TokenExpired extends Error {}
export class TokenInvalid extends Error {}

function decodedJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new TokenInvalid("not base64url");
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value);

/**
 * Verifies a compact JWS signed with HS256 by the hub's own secret, as jose's `jwtVerify` does for
 * the claims the hub uses (header `alg` exactly HS256 and no `crit`, issuer, audience, `exp` (required)
 * and `nbf` against `now`, no clock tolerance), with node:crypto's HMAC. jose 6 verifies through
 * WebCrypto, a key import and a thread-pool job per token: about 170 µs of CPU against 15 µs here,
 * on every member's first request to each subgraph. Signing stays with jose.
 */
export function verifyHs256(secret: string, token: string, expected: Hs256Expectations): Hs256Payload {
  const parts = token.split(".");
  if (parts.length !== 3) throw new TokenInvalid("not a compact JWS");
  const [headerPart, payloadPart, signaturePart] = parts;
  let header: unknown;
  let payload: unknown;
  try {
    header = decodedJson(headerPart);
    payload = decodedJson(payloadPart);
  } catch {
    throw new TokenInvalid("not JSON");
  }
  if (!isObject(header) || header.alg !== "HS256" || header.crit !== undefined || header.b64 !== undefined)
    throw new TokenInvalid("not HS256");
  if (!/^[A-Za-z0-9_-]+$/.test(signaturePart)) throw new TokenInvalid("bad signature");
  const signature = Buffer.from(signaturePart, "base64url");
  const expectedSignature = createHmac("sha256", secret).update(`${headerPart}.${payloadPart}`).digest();
  if (signature.length !== expectedSignature.length || !timingSafeEqual(signature, expectedSignature))
    throw new TokenInvalid("bad signature");
  if (!isObject(payload)) throw new TokenInvalid("payload is not an object");
  if (payload.iss !== expected.issuer) throw new TokenInvalid("another issuer");
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(expected.audience)) throw new TokenInvalid("another audience");
  const nowSeconds = Math.floor(expected.now.getTime() / 1000);
  for (const claim of ["exp", "nbf", "iat"] as const)
    if (payload[claim] !== undefined && (typeof payload[claim] !== "number" || !Number.isFinite(payload[claim])))
      throw new TokenInvalid(`${claim} is not a number`);
  // Every token the hub signs expires: one without `exp` is not the hub's.
  if (payload.exp === undefined) throw new TokenInvalid("no expiry");
  if (payload.nbf !== undefined && (payload.nbf as number) > nowSeconds) throw new TokenInvalid("not yet valid");
  if ((payload.exp as number) <= nowSeconds) throw new TokenExpired("expired");
  return payload;
}
