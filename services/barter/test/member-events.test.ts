import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import pg from "pg";
import { deliverEvents, emitEvent } from "@rhizome/kit";
import { eventually, hubEnvironment, startTestService, succeed, type TestService } from "@rhizome/kit/testing";
import { memberSubscriptions } from "../src/jobs/members.js";
import { barterService } from "../src/service.js";
import { barterDatabase, closeBarterDatabase } from "./support/database.js";

const PASSPHRASE = "a long enough passphrase";

function joined(circleId: string, memberId: string, occurredAt = "2026-11-20T10:00:00.000Z") {
  return { id: randomUUID(), topic: "member.joined", circleId, payload: { circleId, memberId }, occurredAt };
}

async function accountKinds(db: DataSource, circleId: string): Promise<string[]> {
  const rows: Array<{ kind: string }> = await db.query(`SELECT kind FROM accounts WHERE circle_id = $1 ORDER BY kind`, [
    circleId,
  ]);
  return rows.map((r) => r.kind);
}

describe("member events, as barter's handlers receive them", () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await barterDatabase();
  });
  afterAll(closeBarterDatabase);

  it("open the member's account, and on a circle's first sight its settings, commons and place in the known circles", async () => {
    const circleId = randomUUID();
    expect(await deliverEvents(db, memberSubscriptions, [joined(circleId, randomUUID())])).toEqual(["consumed"]);
    expect(await accountKinds(db, circleId)).toEqual(["COMMONS", "MEMBER"]);
    const [settings] = await db.query(
      `SELECT floor_minutes, ceiling_minutes FROM circle_settings WHERE circle_id = $1`,
      [circleId],
    );
    expect(settings).toEqual({ floor_minutes: -600, ceiling_minutes: 1200 });
    const [known] = await db.query(`SELECT first_seen_at FROM known_circles WHERE circle_id = $1`, [circleId]);
    expect(known.first_seen_at.toISOString()).toBe("2026-11-20T10:00:00.000Z");
  });

  it("are consumed once, however often they are delivered", async () => {
    const circleId = randomUUID();
    const event = joined(circleId, randomUUID());
    expect(await deliverEvents(db, memberSubscriptions, [event, event])).toEqual(["consumed", "duplicate"]);
    expect(await deliverEvents(db, memberSubscriptions, [event])).toEqual(["duplicate"]);
    expect(await accountKinds(db, circleId)).toEqual(["COMMONS", "MEMBER"]);
  });

  it("record a malformed event as rejected, with the reason, and change nothing else", async () => {
    const circleId = randomUUID();
    const notAUuid = { ...joined(circleId, randomUUID()), payload: { circleId, memberId: "not-a-uuid" } };
    const otherCircle = {
      ...joined(circleId, randomUUID()),
      payload: { circleId: randomUUID(), memberId: randomUUID() },
    };
    const unknownTopic = { ...joined(circleId, randomUUID()), topic: "member.promoted" };
    expect(await deliverEvents(db, memberSubscriptions, [notAUuid, otherCircle, unknownTopic])).toEqual([
      "rejected",
      "rejected",
      "rejected",
    ]);
    const reasons: Array<{ rejected_because: string }> = await db.query(
      `SELECT rejected_because FROM consumed_events WHERE event_id = ANY($1::uuid[]) ORDER BY rejected_because`,
      [[notAUuid.id, otherCircle.id, unknownTopic.id]],
    );
    expect(reasons.map((r) => r.rejected_because)).toEqual([
      "payload does not match member.joined: memberId Invalid UUID",
      "payload names another circle than the event",
      'unknown topic "member.promoted"',
    ]);
    expect(await accountKinds(db, circleId)).toEqual([]);
  });
});

describe("network's events reaching barter", () => {
  const gatewayUrl = () => hubEnvironment().gatewayUrl;
  let barter: TestService<never> | undefined;
  afterAll(async () => {
    await barter?.stop();
  });

  async function foundWithMembers(handles: string[]): Promise<{ circleId: string; memberIds: string[] }> {
    const slug = `events-${randomUUID().slice(0, 8)}`;
    const founded = await succeed(
      gatewayUrl(),
      `mutation ($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } member { id } token } }`,
      {
        input: { name: `Circle ${slug}`, slug, founderHandle: "founder", passphrase: PASSPHRASE },
      },
    );
    const { createInvitation } = await succeed(
      gatewayUrl(),
      `mutation ($input: CreateInvitationInput!) { createInvitation(input: $input) { code } }`,
      { input: { circleId: founded.createCircle.circle.id, maxUses: 10 } },
      founded.createCircle.token,
    );
    const memberIds = [founded.createCircle.member.id];
    for (const handle of handles) {
      const { joinCircle } = await succeed(
        gatewayUrl(),
        `mutation ($input: JoinCircleInput!) { joinCircle(input: $input) { member { id } } }`,
        {
          input: { code: createInvitation.code, handle, passphrase: PASSPHRASE, bloc: "EDGE" },
        },
      );
      memberIds.push(joinCircle.member.id);
    }
    return { circleId: founded.createCircle.circle.id, memberIds };
  }

  async function memberAccounts(db: DataSource, memberIds: string[]): Promise<number | undefined> {
    const [{ count }] = await db.query(`SELECT count(*) FROM accounts WHERE member_id = ANY($1::uuid[])`, [memberIds]);
    return Number(count) === memberIds.length ? Number(count) : undefined;
  }

  it("a barter that starts later learns every circle and member that joined before it existed, and one that was stopped catches up", async () => {
    const before = await foundWithMembers(["alder", "birch"]);
    // A barter of its own, on an empty database: it has never heard of anything.
    // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
    barter = (await startTestService(barterService, { ownDatabase: true })) as unknown as TestService<never>;
    const db = barter.runtime.db;
    await eventually(
      () => memberAccounts(db, before.memberIds),
      "barter to open accounts for members who joined before it existed",
    );
    const [known] = await db.query(`SELECT count(*) FROM known_circles WHERE circle_id = $1`, [before.circleId]);
    expect(Number(known.count)).toBe(1);

    // Stopped (its Redis data gone with it, for all it matters: the log is in network's database), then members join.
    const databaseUrl = barter.databaseUrl;
    const positionOf = async (service: TestService<never>) => {
      const [row]: Array<{ position: string }> = await service.runtime.db.query(
        `SELECT position FROM event_cursors WHERE source = 'network'`,
      );
      const [tx, seq] = row.position.split(":").map(BigInt);
      return { tx, seq };
    };
    const stoppedAt = await positionOf(barter);
    await barter.stop();
    barter = undefined;
    const whileStopped = await foundWithMembers(["cedar"]);
    // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
    barter = (await startTestService(barterService, {
      env: { DATABASE_URL: databaseUrl },
    })) as unknown as TestService<never>;
    await eventually(
      () => memberAccounts(barter!.runtime.db, whileStopped.memberIds),
      "barter to catch up on members who joined while it was stopped",
    );
    // It resumed from the cursor it recorded: nothing it had handled before was read again.
    const delivered = await barter.runtime.registry.getSingleMetric("rhizome_events_delivered_total")!.get();
    const countOf = (outcome: string) =>
      delivered.values.filter((v) => v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
    expect(countOf("consumed")).toBeGreaterThanOrEqual(whileStopped.memberIds.length);
    expect(countOf("duplicate")).toBe(0);
    const resumedAt = await positionOf(barter);
    expect(resumedAt.tx > stoppedAt.tx || (resumedAt.tx === stoppedAt.tx && resumedAt.seq > stoppedAt.seq)).toBe(true);
  });

  it("with no reading unasked for ten minutes, learns of members at once from network's wake-up, and of an event whose wake-up was lost once its subscription is back", async () => {
    await barter?.stop();
    // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
    barter = (await startTestService(barterService, {
      ownDatabase: true,
      eventPollIntervalMs: 600_000,
    })) as unknown as TestService<never>;
    const { db, redis } = barter.runtime;
    const joinedNow = await foundWithMembers(["dune"]);
    await eventually(
      () => memberAccounts(db, joinedNow.memberIds),
      "barter to hear of the members from the wake-up",
      10_000,
    );

    // An event recorded with no wake-up after it, as when the producer's Redis blinked after its commit.
    const unannounced = randomUUID();
    const network = new pg.Client({
      connectionString: hubEnvironment().databaseUrl,
      options: "-c search_path=network",
    });
    await network.connect();
    try {
      await emitEvent(network, "member.joined", { circleId: joinedNow.circleId, memberId: unannounced }, new Date());
    } finally {
      await network.end();
    }
    // Every event subscription drops (consumers of other tests' hubs reconnect the same way) and comes back.
    await redis.client("KILL", "TYPE", "pubsub");
    await eventually(
      () => memberAccounts(db, [unannounced]),
      "barter to read what it missed once subscribed again",
      10_000,
    );
  });
});
