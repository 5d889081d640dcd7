import { SignJWT } from "jose";
import { createHash, randomBytes } from "node:crypto";
import { forbidden, unauthenticated } from "../runtime/errors.js";
import { ExpiringLru } from "../runtime/expiring-lru.js";
import { TokenExpired, verifyHs256 } from "./hs256.js";
import { circleRoles, type CircleRole } from "../rules/roles.js";
export { circleRoles, type CircleRole };

export const apiKeyScopes = ["public:read"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export interface Membership {
  circleId: string;
  memberId: string;
  roles: CircleRole[];
}

/** Who is asking. Services authorize from this alone; none trusts a header it has not verified. */
export type Caller =
  | { kind: "anonymous" }
  | {
      kind: "person";
      personId: string;
      memberships: Membership[];
      /** The login session the token belongs to, when it names one. */ sessionId?: string;
    }
  | {
      kind: "apiKey";
      keyId: string;
      circleId: string;
      scopes: ApiKeyScope[];
      /**
       * Who answers for the key, as an opaque id (`person:<id>`, or `member:<id>` once its maker left):
       * the gateway counts the key's requests against that one budget, however many keys they mint.
       */
      holderId?: string;
    }
  | { kind: "operator" };

export const anonymous: Caller = { kind: "anonymous" };

export const TOKEN_ISSUER = "rhizome";
export const TOKEN_AUDIENCE = "rhizome-hub";
/**
 * How long a person's access token lives. A token never gives more than its memberships hold now:
 * a role taken away or a circle left is recorded for this long and read by every service on every
 * request (member-access.ts), as a session ended by logout is (ended-sessions.ts).
 */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 60;
export const API_KEY_HEADER = "x-api-key";
export const OPERATOR_KEY_HEADER = "x-operator-key";

interface TokenClaims {
  mem: Array<[circleId: string, memberId: string, roles: CircleRole[]]>;
  /** The login session (ended by logout). */
  sid?: string;
}

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export interface PersonTokenTiming {
  /** The instant the token is issued at, from the caller's clock. */
  now: Date;
  /** Default DEFAULT_ACCESS_TOKEN_TTL_SECONDS. */
  ttlSeconds?: number;
  /** The login session this token belongs to: when it ends, so does the token. */
  sessionId?: string;
}

/** A short-lived access token naming the person's memberships and roles at `now`. */
export async function signPersonToken(
  secret: string,
  personId: string,
  memberships: Membership[],
  { now, ttlSeconds = DEFAULT_ACCESS_TOKEN_TTL_SECONDS, sessionId }: PersonTokenTiming,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAtSeconds = Math.floor(now.getTime() / 1000);
  const expiresAtSeconds = issuedAtSeconds + ttlSeconds;
  const claims: TokenClaims = {
    mem: memberships.map((m) => [m.circleId, m.memberId, m.roles]),
    ...(sessionId ? { sid: sessionId } : {}),
  };
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(personId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(issuedAtSeconds)
    .setExpirationTime(expiresAtSeconds)
    .sign(secretKey(secret));
  return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
}

/** The person and the memberships their token names; `now` (default: the system time) decides expiry. */
export async function verifyPersonToken(secret: string, token: string, now?: Date): Promise<Caller> {
  return (await verifiedPersonToken(secret, token, now)).caller;
}

async function verifiedPersonToken(
  secret: string,
  token: string,
  now?: Date,
): Promise<{ caller: Caller; expiresAtMs: number }> {
  try {
    const payload = verifyHs256(secret, token, {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      now: now ?? new Date(),
    });
    // eslint-disable-next-line no-restricted-syntax -- the payload is plain JSON; each claim is checked just below
    const { mem, sid } = payload as unknown as TokenClaims;
    if (typeof payload.sub !== "string" || !Array.isArray(mem))
      throw unauthenticated("The token is malformed. Log in again.");
    const caller: Caller = {
      kind: "person",
      personId: payload.sub,
      memberships: mem.map(([circleId, memberId, roles]) => ({ circleId, memberId, roles })),
      ...(typeof sid === "string" ? { sessionId: sid } : {}),
    };
    return { caller, expiresAtMs: (payload.exp as number) * 1000 };
  } catch (error) {
    if (error instanceof TokenExpired)
      throw unauthenticated("Your token has expired. Renew it with refreshSession, or log in again.");
    throw unauthenticated("The token is invalid. Log in again.");
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export type PersonTokenVerifier = (token: string, now?: Date) => Promise<Caller>;

/**
 * verifyPersonToken that remembers each token it verified until the token expires: a member's
 * requests carry the same token for its whole minute, and checking its signature again each time
 * was 7% of the tools subgraph's CPU in a profile under load. The caller it gives is frozen, as it is shared by requests.
 * A session ended by logout is checked apart from this, on every request.
 */
export function cachingPersonTokenVerifier(secret: string, maxEntries = 10_000): PersonTokenVerifier {
  const verified = new ExpiringLru<string, Caller>(maxEntries);
  return async (token, now) => {
    const nowMs = (now ?? new Date()).getTime();
    const known = verified.get(token, nowMs);
    if (known.isHit) return known.value;
    const { caller, expiresAtMs } = await verifiedPersonToken(secret, token, now);
    verified.set(token, deepFreeze(caller), expiresAtMs);
    return caller;
  };
}

/** Hashes a high-entropy secret (API key, invitation code) for storage and lookup. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function newSecret(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString("base64url")}`;
}

export type ApiKeyVerifier = (key: string) => Promise<Caller | undefined>;

export interface CredentialSources {
  tokenSecret: string;
  /** Default: verifyPersonToken with tokenSecret, every time. */
  verifyPersonToken?: PersonTokenVerifier;
  operatorKey?: string;
  verifyApiKey: ApiKeyVerifier;
}

/** Turns request headers into a verified caller, or fails with UNAUTHENTICATED. */
export async function resolveCaller(
  headers: Record<string, string | string[] | undefined>,
  sources: CredentialSources,
): Promise<Caller> {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const authorization = header("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated("The Authorization header must be `Bearer <token>`.");
    return sources.verifyPersonToken
      ? sources.verifyPersonToken(match[1])
      : verifyPersonToken(sources.tokenSecret, match[1]);
  }
  const apiKey = header(API_KEY_HEADER);
  if (apiKey) {
    const caller = await sources.verifyApiKey(apiKey);
    if (!caller) throw unauthenticated("The API key is unknown or revoked.");
    return caller;
  }
  const operatorKey = header(OPERATOR_KEY_HEADER);
  if (operatorKey) {
    if (!sources.operatorKey || !timingSafeEqualText(operatorKey, sources.operatorKey)) {
      throw unauthenticated("The operator key is wrong.");
    }
    return { kind: "operator" };
  }
  return anonymous;
}

function timingSafeEqualText(a: string, b: string): boolean {
  return hashSecret(a) === hashSecret(b);
}

export function membershipIn(caller: Caller, circleId: string): Membership | undefined {
  return caller.kind === "person" ? caller.memberships.find((m) => m.circleId === circleId) : undefined;
}

/** The caller's own membership as this member: undefined for anyone else's member id. */
export function ownMembership(caller: Caller, memberId: string): Membership | undefined {
  return caller.kind === "person" ? caller.memberships.find((m) => m.memberId === memberId) : undefined;
}

export function isMemberOf(caller: Caller, circleId: string): boolean {
  return membershipIn(caller, circleId) !== undefined;
}

export function hasRole(caller: Caller, circleId: string, role: CircleRole): boolean {
  return membershipIn(caller, circleId)?.roles.includes(role) ?? false;
}

export function requirePerson(caller: Caller): Extract<Caller, { kind: "person" }> {
  if (caller.kind !== "person") throw unauthenticated();
  return caller;
}

export function requireMembership(caller: Caller, circleId: string): Membership {
  const person = requirePerson(caller);
  const membership = person.memberships.find((m) => m.circleId === circleId);
  if (!membership) throw forbidden("Only members of this circle can do this.");
  return membership;
}

export function requireRole(caller: Caller, circleId: string, role: CircleRole): Membership {
  const membership = requireMembership(caller, circleId);
  if (!membership.roles.includes(role)) throw forbidden(`Only a circle's ${role}s can do this.`);
  return membership;
}
