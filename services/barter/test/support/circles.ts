import { randomUUID } from "node:crypto";
import { signPersonToken, type CircleRole } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import { openMemberAccount } from "../../src/store/accounts.js";
import { hubEnvironment as testEnvironment } from "@rhizome/kit/testing";

export interface TestMember {
  memberId: string;
  personId: string;
  circleId: string;
  roles: CircleRole[];
  /** A real token signed with the hub's secret, as network would issue at login. */
  token: string;
}

export interface TestCircle {
  circleId: string;
  members: TestMember[];
}

export async function tokenFor(
  personId: string,
  memberships: Array<{ circleId: string; memberId: string; roles: CircleRole[] }>,
): Promise<string> {
  const { token } = await signPersonToken(testEnvironment().tokenSecret, personId, memberships, { now: new Date() });
  return token;
}

/**
 * A fresh circle with `size` members (the first an organizer), so tests never share a circle.
 * Accounts are opened as barter opens them on `member.joined`, as of `openedAt` (default now),
 * so stories can start in a past or future cycle. How the events travel from network is the
 * subscription's test (inbox.test.ts) and the end-to-end test's.
 */
export async function createCircle(
  db: DataSource,
  size: number,
  options: { openedAt?: Date } = {},
): Promise<TestCircle> {
  const circleId = randomUUID();
  const members: TestMember[] = [];
  for (let i = 0; i < size; i++) {
    const memberId = randomUUID();
    const personId = randomUUID();
    const roles: CircleRole[] = i === 0 ? ["member", "organizer"] : ["member"];
    members.push({
      memberId,
      personId,
      circleId,
      roles,
      token: await tokenFor(personId, [{ circleId, memberId, roles }]),
    });
  }
  const openedAt = options.openedAt ?? new Date();
  await db.transaction(async (manager) => {
    for (const member of members) await openMemberAccount(manager, circleId, member.memberId, openedAt);
  });
  return { circleId, members };
}
