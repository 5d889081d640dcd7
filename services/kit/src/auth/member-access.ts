import type { Redis } from "ioredis";
import type { Caller, CircleRole } from "./auth.js";
import { endedSessionKey } from "./ended-sessions.js";

/**
 * A person's access token names their memberships and roles for up to a minute. When network takes
 * a role away or a member leaves, it writes here what that membership holds now, for as long as a
 * token issued before could still live, and every service reads it on every request: a token never
 * gives more than its membership holds now. Without it, a revoked organizer's earlier token still
 * changed barter's limits for up to 60 s, and a member who left could still act in every service.
 */
const MEMBER_ACCESS_PREFIX = "rhizome:member-access:";
/** Kept this much longer than a token lives, for clocks a little apart between services. */
export const MEMBER_ACCESS_MARGIN_SECONDS = 5;
const HAS_LEFT = "left";

export type MemberAccess = { memberId: string; roles: readonly CircleRole[] } | { memberId: string; hasLeft: true };

const memberAccessKey = (memberId: string) => `${MEMBER_ACCESS_PREFIX}${memberId}`;

/** Network records what each changed membership holds now (after the change is committed). */
export async function recordMemberAccess(
  redis: Redis,
  changes: readonly MemberAccess[],
  accessTokenTtlSeconds: number,
): Promise<void> {
  if (changes.length === 0) return;
  const batch = redis.multi();
  for (const change of changes) {
    const value = "hasLeft" in change ? HAS_LEFT : JSON.stringify(change.roles);
    batch.set(memberAccessKey(change.memberId), value, "EX", accessTokenTtlSeconds + MEMBER_ACCESS_MARGIN_SECONDS);
  }
  const results = await batch.exec();
  const failed = results?.find(([error]) => error);
  if (!results || failed) throw failed?.[0] ?? new Error("Redis did not record a change of access.");
}

type Person = Extract<Caller, { kind: "person" }>;

export type CurrentAccess = { hasSessionEnded: true } | { hasSessionEnded: false; caller: Person };

/**
 * The caller as their memberships stand now: a membership left is dropped, and each other keeps
 * only the roles both its token and its latest recorded change give. One Redis round trip, which
 * also tells whether the token's session was ended (logout).
 */
export async function currentAccessOf(redis: Redis, caller: Person): Promise<CurrentAccess> {
  const keys = [
    ...(caller.sessionId ? [endedSessionKey(caller.sessionId)] : []),
    ...caller.memberships.map((m) => memberAccessKey(m.memberId)),
  ];
  if (keys.length === 0) return { hasSessionEnded: false, caller };
  const values = await redis.mget(...keys);
  if (caller.sessionId && values.shift() !== null) return { hasSessionEnded: true };
  if (values.every((value) => value === null)) return { hasSessionEnded: false, caller };
  const memberships = caller.memberships.flatMap((membership, i) => {
    const recorded = values[i];
    if (recorded === null) return [membership];
    if (recorded === HAS_LEFT) return [];
    const heldNow = parseRoles(recorded);
    return [{ ...membership, roles: membership.roles.filter((role) => heldNow.includes(role)) }];
  });
  return { hasSessionEnded: false, caller: { ...caller, memberships } };
}

/** Roles as recorded; anything unreadable holds no role beyond membership (fails closed). */
function parseRoles(recorded: string): readonly CircleRole[] {
  try {
    const roles: unknown = JSON.parse(recorded);
    return Array.isArray(roles) ? (roles.filter((role) => typeof role === "string") as CircleRole[]) : ["member"];
  } catch {
    return ["member"];
  }
}
