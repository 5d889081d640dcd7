import { randomUUID } from "node:crypto";
import { signPersonToken, type CircleRole, type Membership } from "../auth/auth.js";
import { hubEnvironment } from "./environment.js";

/** A member of a circle as the hub would know them, with a real token signed with the test hub's secret. */
export interface TestMember {
  circleId: string;
  memberId: string;
  personId: string;
  roles: CircleRole[];
  token: string;
}

export interface TokenOptions {
  /** When the token is issued; default now. A past instant makes an old token, e.g. one from before a role change. */
  issuedAt?: Date;
  ttlSeconds?: number;
}

// Long enough for any one test; the hub's own tokens are short (see the access tests).
const TEST_TOKEN_TTL_SECONDS = 15 * 60;

/** A token naming `memberships`, as network signs at login, with the test hub's secret. */
export async function personToken(
  personId: string,
  memberships: Membership[],
  options: TokenOptions = {},
): Promise<string> {
  const { token } = await signPersonToken(hubEnvironment().tokenSecret, personId, memberships, {
    now: options.issuedAt ?? new Date(),
    ttlSeconds: options.ttlSeconds ?? TEST_TOKEN_TTL_SECONDS,
  });
  return token;
}

/** A member of `circleId` unknown to network, for tests of one service on its own (ids are fresh UUIDs). */
export async function testMember(
  circleId: string,
  roles: CircleRole[] = ["member"],
  options: TokenOptions = {},
): Promise<TestMember> {
  const memberId = randomUUID();
  const personId = randomUUID();
  return {
    circleId,
    memberId,
    personId,
    roles,
    token: await personToken(personId, [{ circleId, memberId, roles }], options),
  };
}
