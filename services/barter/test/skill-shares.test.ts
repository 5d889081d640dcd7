import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { manualClock } from "@rhizome/kit";
import { createCircle } from "./support/circles.js";
import { FIXED_NOW } from "./support/clock.js";
import { ledgerSnapshot } from "./support/database.js";
import { hoursAfter } from "./support/ledger.js";
import { startInProcessBarter, type InProcessBarter } from "./support/in-process.js";
import { useBarterDatabase } from "./support/lifecycle.js";

let db: DataSource;
let barter: InProcessBarter;
const clock = manualClock(FIXED_NOW);
useBarterDatabase((opened) => (db = opened));

beforeAll(async () => {
  barter = await startInProcessBarter({ clock, role: "api" });
});
afterAll(async () => {
  await barter?.stop();
});

const ANNOUNCE = `mutation ($input: AnnounceSkillShareInput!) { announceSkillShare(input: $input) { id skill placeGeohash capacity placesTaken waitingCount } }`;
const SIGN_UP = `mutation ($id: ID!) { signUpForSkillShare(skillShareId: $id) { placesTaken waitingCount yourStanding { hasPlace waitingPosition } signups { member { id } } } }`;
const RECORD = `mutation ($id: ID!, $ids: [ID!]!) { recordSkillShareAttendance(skillShareId: $id, attendeeMemberIds: $ids) { id status minutes skill provider { id } receiver { id } proposer { id } } }`;
const CONFIRM = `mutation ($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;
const LIST = `query ($id: ID!) { _entities(representations: [{ __typename: "Circle", id: $id }]) { ... on Circle { skillShares { items { id waitingCount signups { member { id } hasPlace waitingPosition } } } } } }`;

describe("a pop-up skill share", () => {
  it("gives places to the first to sign up, keeps the rest waiting in order, and proposes each attendee's exchange for their consent", async () => {
    clock.set(FIXED_NOW);
    const circle = await createCircle(db, 5, { openedAt: FIXED_NOW });
    const [host, ada, bell, cy, dee] = circle.members;
    const input = {
      circleId: circle.circleId,
      skill: "Bike Repair",
      startsAt: hoursAfter(FIXED_NOW, 24).toISOString(),
      placeGeohash: "U33DB2",
      capacity: 2,
      minutes: 90,
    };
    const announced = (await barter.graphql(ANNOUNCE, { input }, host.token)).data!.announceSkillShare;
    expect(announced).toMatchObject({
      skill: "bike-repair",
      placeGeohash: "u33db2",
      capacity: 2,
      placesTaken: 0,
      waitingCount: 0,
    });

    const standings = [];
    for (const member of [ada, bell, cy, dee]) {
      clock.advance(60_000);
      standings.push((await barter.graphql(SIGN_UP, { id: announced.id }, member.token)).data!.signUpForSkillShare);
    }
    expect(standings.map((s) => s.yourStanding)).toEqual([
      { hasPlace: true, waitingPosition: null },
      { hasPlace: true, waitingPosition: null },
      { hasPlace: false, waitingPosition: 1 },
      { hasPlace: false, waitingPosition: 2 },
    ]);
    // Only the host sees who signed up.
    expect(standings[3].signups).toBeNull();
    const hostView = (await barter.graphql(LIST, { id: circle.circleId }, host.token)).data!._entities[0].skillShares
      .items[0];
    expect(hostView.signups.map((s: { member: { id: string } }) => s.member.id)).toEqual([
      ada.memberId,
      bell.memberId,
      cy.memberId,
      dee.memberId,
    ]);
    // Signing up again keeps the first place in line.
    expect(
      (await barter.graphql(SIGN_UP, { id: announced.id }, ada.token)).data!.signUpForSkillShare.yourStanding,
    ).toEqual({ hasPlace: true, waitingPosition: null });

    expect(
      (await barter.graphql(RECORD, { id: announced.id, ids: [ada.memberId] }, host.token)).errors?.[0].extensions
        ?.code,
    ).toBe("BAD_USER_INPUT");
    clock.set(hoursAfter(FIXED_NOW, 26));
    expect(
      (await barter.graphql(RECORD, { id: announced.id, ids: [ada.memberId] }, bell.token)).errors?.[0].extensions
        ?.code,
    ).toBe("FORBIDDEN");
    const proposed = (await barter.graphql(RECORD, { id: announced.id, ids: [ada.memberId, cy.memberId] }, host.token))
      .data!.recordSkillShareAttendance;
    expect(proposed.map((x: { receiver: { id: string } }) => x.receiver.id).sort()).toEqual(
      [ada.memberId, cy.memberId].sort(),
    );
    for (const exchange of proposed)
      expect(exchange).toMatchObject({
        status: "PENDING",
        minutes: 90,
        skill: "bike-repair",
        provider: { id: host.memberId },
        proposer: { id: host.memberId },
      });
    expect(
      (await barter.graphql(RECORD, { id: announced.id, ids: [bell.memberId] }, host.token)).errors?.[0].extensions
        ?.code,
    ).toBe("CONFLICT");
    const adaExchange = proposed.find((x: { receiver: { id: string } }) => x.receiver.id === ada.memberId);
    expect((await barter.graphql(CONFIRM, { id: adaExchange.id }, ada.token)).data!.confirmExchange.status).toBe(
      "CONFIRMED",
    );
  });

  it("refuses a place finer than a block, bad capacity or times, outsiders and strangers, with a clear code and nothing written", async () => {
    clock.set(FIXED_NOW);
    const circle = await createCircle(db, 2, { openedAt: FIXED_NOW });
    const other = await createCircle(db, 1, { openedAt: FIXED_NOW });
    const [host, member] = circle.members;
    const base = {
      circleId: circle.circleId,
      skill: "sewing",
      startsAt: hoursAfter(FIXED_NOW, 5).toISOString(),
      placeGeohash: "u33db2",
      capacity: 5,
      minutes: 60,
    };
    const before = await ledgerSnapshot(db, circle.circleId);
    const codeOf = async (input: Record<string, unknown>, token = host.token) =>
      (await barter.graphql(ANNOUNCE, { input: { ...base, ...input } }, token)).errors?.[0];
    expect(await codeOf({ placeGeohash: "u33db2k9" })).toMatchObject({
      message: expect.stringMatching(/block level: a geohash of at most 6/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect((await codeOf({ placeGeohash: "12 Main St" }))?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await codeOf({ capacity: 0 }))?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await codeOf({ startsAt: hoursAfter(FIXED_NOW, -1).toISOString() }))?.extensions?.code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await codeOf({ minutes: 0 }))?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await codeOf({}, other.members[0].token))?.extensions?.code).toBe("FORBIDDEN");
    const [{ count }] = await db.query(`SELECT count(*) FROM skill_shares WHERE circle_id = $1`, [circle.circleId]);
    expect(Number(count)).toBe(0);
    const announced = (await barter.graphql(ANNOUNCE, { input: base }, host.token)).data!.announceSkillShare;
    // A member of another circle cannot see it, sign up, or list it.
    expect(
      (await barter.graphql(SIGN_UP, { id: announced.id }, other.members[0].token)).errors?.[0].extensions?.code,
    ).toBe("NOT_FOUND");
    expect(
      (await barter.graphql(LIST, { id: circle.circleId }, other.members[0].token)).errors?.[0].extensions?.code,
    ).toBe("FORBIDDEN");
    expect((await barter.graphql(SIGN_UP, { id: announced.id }, host.token)).errors?.[0].extensions?.code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await barter.graphql(SIGN_UP, { id: "not-an-id" }, member.token)).errors?.[0].extensions?.code).toBe(
      "NOT_FOUND",
    );
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  });
});
