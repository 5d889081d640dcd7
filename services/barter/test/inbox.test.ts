import { randomUUID } from "node:crypto";
import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { consumeInboxEvent } from "../src/jobs/inbox.js";
import { announceMembers, memberJoinedEvent } from "./support/circles.js";
import { useBarterDatabase } from "./support/lifecycle.js";

let db: DataSource;

useBarterDatabase((opened) => (db = opened));

describe("member.joined events from network", () => {
  it("open the member's account, and the circle's settings and commons on first sight", async () => {
    const circleId = randomUUID();
    const event = memberJoinedEvent(circleId, randomUUID());
    await announceMembers(db, [event]);
    const accounts: Array<{ kind: string; balance_minutes: number }> = await db.query(`SELECT kind, balance_minutes FROM accounts WHERE circle_id = $1 ORDER BY kind`, [circleId]);
    expect(accounts).toEqual([
      { kind: "COMMONS", balance_minutes: 0 },
      { kind: "MEMBER", balance_minutes: 0 },
    ]);
    const [settings] = await db.query(`SELECT floor_minutes, ceiling_minutes FROM circle_settings WHERE circle_id = $1`, [circleId]);
    expect(settings).toEqual({ floor_minutes: -600, ceiling_minutes: 1200 });
  });

  it("are consumed once, however often they are delivered", async () => {
    const circleId = randomUUID();
    const event = memberJoinedEvent(circleId, randomUUID());
    await announceMembers(db, [event]);
    expect(await consumeInboxEvent(db, event)).toBe("duplicate");
    const [{ count }] = await db.query(`SELECT count(*) FROM accounts WHERE circle_id = $1`, [circleId]);
    expect(Number(count)).toBe(2);
  });

  it("ignore other topics and fail malformed events without retrying them", async () => {
    expect(await consumeInboxEvent(db, { ...memberJoinedEvent(randomUUID(), randomUUID()), topic: "sovereignty.event" })).toBe("ignored");
    const circleId = randomUUID();
    const malformed = { ...memberJoinedEvent(circleId, randomUUID()), payload: { memberId: "not-a-uuid", circleId } };
    await expect(consumeInboxEvent(db, malformed)).rejects.toBeInstanceOf(UnrecoverableError);
    const mismatched = { ...memberJoinedEvent(circleId, randomUUID()), payload: { memberId: randomUUID(), circleId: randomUUID() } };
    await expect(consumeInboxEvent(db, mismatched)).rejects.toBeInstanceOf(UnrecoverableError);
  });
});
