import { randomUUID } from "node:crypto";
import { connectRedis, createQueue, signPersonToken, type CircleRole, type OutboxEvent, type Queue } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import type { Redis } from "ioredis";
import { INBOX_QUEUE } from "../../src/jobs/queues.js";
import { openMemberAccount } from "../../src/store/accounts.js";
import { testEnvironment } from "./environment.js";
import { eventually } from "./eventually.js";

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

let inbox: { queue: Queue; connection: Redis } | undefined;

function inboxQueue(): Queue {
  if (!inbox) {
    const connection = connectRedis(testEnvironment().redisUrl);
    inbox = { queue: createQueue(INBOX_QUEUE, connection), connection };
  }
  return inbox.queue;
}

export async function closeInboxQueue(): Promise<void> {
  const opened = inbox;
  inbox = undefined;
  if (opened) {
    await opened.queue.close();
    opened.connection.disconnect();
  }
}

export function memberJoinedEvent(circleId: string, memberId: string, occurredAt = new Date()): OutboxEvent {
  return { id: randomUUID(), topic: "member.joined", circleId, payload: { memberId, circleId }, occurredAt: occurredAt.toISOString() };
}

/** Announces members the way network does (an event on barter's inbox queue) and waits until barter opened their accounts. */
export async function announceMembers(db: DataSource, events: OutboxEvent[]): Promise<void> {
  await inboxQueue().addBulk(events.map((event) => ({ name: event.topic, data: event, opts: { jobId: event.id } })));
  const memberIds = events.map((e) => (e.payload as { memberId: string }).memberId);
  await eventually(async () => {
    const [{ count }]: Array<{ count: string }> = await db.query(`SELECT count(*) FROM accounts WHERE member_id = ANY($1::uuid[])`, [memberIds]);
    return Number(count) === memberIds.length ? true : undefined;
  }, `barter to open ${memberIds.length} accounts from member.joined events`);
}

async function tokenFor(circleId: string, memberId: string, personId: string, roles: CircleRole[]): Promise<string> {
  const { token } = await signPersonToken(testEnvironment().tokenSecret, personId, [{ circleId, memberId, roles }]);
  return token;
}

/**
 * A fresh circle with `size` members (the first an organizer), announced through barter's inbox
 * queue, so tests never share a circle. With `openedAt`, accounts are opened directly as of that
 * instant instead, for stories that start in a past cycle.
 */
export async function createCircle(db: DataSource, size: number, options: { openedAt?: Date } = {}): Promise<TestCircle> {
  const circleId = randomUUID();
  const members: TestMember[] = [];
  for (let i = 0; i < size; i++) {
    const memberId = randomUUID();
    const personId = randomUUID();
    const roles: CircleRole[] = i === 0 ? ["member", "organizer"] : ["member"];
    members.push({ memberId, personId, circleId, roles, token: await tokenFor(circleId, memberId, personId, roles) });
  }
  if (options.openedAt) {
    const openedAt = options.openedAt;
    await db.transaction(async (manager) => {
      for (const member of members) await openMemberAccount(manager, circleId, member.memberId, openedAt);
    });
  } else {
    await announceMembers(db, members.map((m) => memberJoinedEvent(circleId, m.memberId)));
  }
  return { circleId, members };
}
