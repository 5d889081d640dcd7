import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createCircle, tokenFor, type TestCircle, type TestMember } from "./support/circles.js";
import { auditLedger, ledgerSnapshot, memberBalance } from "./support/database.js";
import { cycleByLabel, precedingCycle } from "@rhizome/kit";
import { FIXED_CYCLE, FIXED_NOW } from "./support/clock.js";
import { exchangeAt, hoursAfter } from "./support/ledger.js";
import { useBarterDatabase } from "./support/lifecycle.js";
import { failWith, graphql, succeed } from "./support/graphql.js";

const PROPOSE = `mutation Propose($input: ProposeExchangeInput!) {
  proposeExchange(input: $input) { id status minutes skill note proposer { id } provider { id } receiver { id } proposedCycle }
}`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { id status decidedAt } }`;
const DECLINE = `mutation Decline($id: ID!) { declineExchange(exchangeId: $id) { id status } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelExchange(exchangeId: $id) { id status } }`;
const BALANCE = `query Balance($id: ID!) { _entities(representations: [{ __typename: "Member", id: $id }]) { ... on Member { id balance { minutes floorMinutes ceilingMinutes cycle } } } }`;
const EXCHANGES = `query Mine($circleId: ID!, $status: ExchangeStatus, $first: Int, $after: String) {
  exchanges(circleId: $circleId, status: $status, first: $first, after: $after) { items { id status minutes } nextCursor }
}`;

let db: DataSource;

useBarterDatabase((opened) => (db = opened));

function proposal(
  circle: TestCircle,
  provider: TestMember,
  receiver: TestMember,
  minutes: number,
  extra: Record<string, unknown> = {},
) {
  return {
    input: {
      circleId: circle.circleId,
      providerMemberId: provider.memberId,
      receiverMemberId: receiver.memberId,
      minutes,
      skill: "Bike Repair",
      ...extra,
    },
  };
}

async function propose(
  circle: TestCircle,
  by: TestMember,
  provider: TestMember,
  receiver: TestMember,
  minutes: number,
): Promise<string> {
  const data = await succeed(PROPOSE, proposal(circle, provider, receiver, minutes), by.token);
  return data.proposeExchange.id;
}

describe("an exchange between two members", () => {
  it("moves credits only when the other party confirms: provider credited, receiver debited", async () => {
    const circle = await createCircle(db, 2);
    const [ada, bell] = circle.members;
    const proposed = await succeed(
      PROPOSE,
      proposal(circle, ada, bell, 90, { note: "  fixed the brakes " }),
      ada.token,
    );
    expect(proposed.proposeExchange).toMatchObject({
      status: "PENDING",
      minutes: 90,
      skill: "bike-repair",
      note: "fixed the brakes",
      proposer: { id: ada.memberId },
    });
    expect(await memberBalance(db, ada.memberId)).toBe(0);

    const confirmed = await succeed(CONFIRM, { id: proposed.proposeExchange.id }, bell.token);
    expect(confirmed.confirmExchange.status).toBe("CONFIRMED");
    expect(await memberBalance(db, ada.memberId)).toBe(90);
    expect(await memberBalance(db, bell.memberId)).toBe(-90);
    expect(await auditLedger(db, circle.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
  });

  it("lets a member read only their own balance", async () => {
    const circle = await createCircle(db, 2);
    const [ada, bell] = circle.members;
    await succeed(CONFIRM, { id: await propose(circle, bell, ada, bell, 60) }, ada.token);

    const own = await succeed(BALANCE, { id: ada.memberId }, ada.token);
    expect(own._entities[0].balance).toMatchObject({ minutes: 60, floorMinutes: -600, ceilingMinutes: 1200 });
    const other = await succeed(BALANCE, { id: ada.memberId }, bell.token);
    expect(other._entities[0]).toEqual({ id: ada.memberId, balance: null });
    const stranger = (await createCircle(db, 1)).members[0];
    expect((await succeed(BALANCE, { id: ada.memberId }, stranger.token))._entities[0]).toBeNull();
    expect((await succeed(BALANCE, { id: ada.memberId }))._entities[0]).toBeNull();
  });

  it("tells a member, and nobody else, how many exchanges wait for them and when their balance returns to zero", async () => {
    const circle = await createCircle(db, 3);
    const [ada, bell, cai] = circle.members;
    const AWAITING = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Member { id exchangesAwaitingMe balance { cycle cycleEndsAt } } } }`;
    const awaitingOf = async (member: TestMember, asker = member) =>
      (await succeed(AWAITING, { reps: [{ __typename: "Member", id: member.memberId }] }, asker.token))._entities[0];

    // Bell proposed two with ada and one with cai; ada proposed one with bell: only bell's two wait for ada.
    const [first] = [
      await propose(circle, bell, ada, bell, 30),
      await propose(circle, bell, bell, ada, 20),
      await propose(circle, bell, bell, cai, 10),
      await propose(circle, ada, ada, bell, 15),
    ];
    const own = await awaitingOf(ada);
    expect(own.exchangesAwaitingMe).toBe(2);
    // The service runs on the real clock: whatever cycle it is in, the balance ends with it.
    expect(own.balance.cycleEndsAt).toBe(cycleByLabel(own.balance.cycle)?.endsAt.toISOString());
    expect((await awaitingOf(bell)).exchangesAwaitingMe).toBe(1);
    expect((await awaitingOf(cai)).exchangesAwaitingMe).toBe(1);

    await succeed(CONFIRM, { id: first }, ada.token);
    expect((await awaitingOf(ada)).exchangesAwaitingMe).toBe(1);

    // A neighbour reads null; a member of another circle does not reach ada at all.
    expect(await awaitingOf(ada, bell)).toEqual({ id: ada.memberId, exchangesAwaitingMe: null, balance: null });
    const stranger = (await createCircle(db, 1)).members[0];
    expect(await awaitingOf(ada, stranger)).toBeNull();
  });

  it("shows each of a person's balances with its own circle's limits, asked together in one request", async () => {
    const [home, other] = [await createCircle(db, 2), await createCircle(db, 1)];
    const [ada, bell] = home.members;
    await succeed(CONFIRM, { id: await propose(home, bell, ada, bell, 75) }, ada.token);
    await succeed(
      `mutation Set($input: BarterLimitsInput!) { setBarterLimits(input: $input) { floorMinutes } }`,
      { input: { circleId: home.circleId, floorMinutes: -120, ceilingMinutes: 240 } },
      ada.token,
    );
    // Ada is also a member of a second circle, and of a third whose join event barter has not heard yet.
    const elsewhere = other.members[0];
    const unheardCircleId = randomUUID();
    const unheardMemberId = randomUUID();
    const token = await tokenFor(ada.personId, [
      { circleId: home.circleId, memberId: ada.memberId, roles: ada.roles },
      { circleId: other.circleId, memberId: elsewhere.memberId, roles: ["member"] },
      { circleId: unheardCircleId, memberId: unheardMemberId, roles: ["member"] },
    ]);
    const balances = await succeed(
      `query Balances($reps: [_Any!]!) { _entities(representations: $reps) { ... on Member { id balance { minutes floorMinutes ceilingMinutes cycle } } } }`,
      {
        reps: [ada.memberId, elsewhere.memberId, unheardMemberId, bell.memberId].map((id) => ({
          __typename: "Member",
          id,
        })),
      },
      token,
    );
    const [own, second, unheard, neighbour] = balances._entities;
    expect(own.balance).toMatchObject({ minutes: 75, floorMinutes: -120, ceilingMinutes: 240 });
    expect(second.balance).toMatchObject({
      minutes: 0,
      floorMinutes: -600,
      ceilingMinutes: 1200,
      cycle: own.balance.cycle,
    });
    expect(unheard.balance).toMatchObject({
      minutes: 0,
      floorMinutes: -600,
      ceilingMinutes: 1200,
      cycle: own.balance.cycle,
    });
    // A neighbour's balance stays theirs.
    expect(neighbour).toEqual({ id: bell.memberId, balance: null });
  });

  it("can be declined by the other party or cancelled by the proposer, and then nothing moves", async () => {
    const circle = await createCircle(db, 2);
    const [ada, bell] = circle.members;
    const declined = await succeed(DECLINE, { id: await propose(circle, ada, ada, bell, 30) }, bell.token);
    expect(declined.declineExchange.status).toBe("DECLINED");
    const cancelled = await succeed(CANCEL, { id: await propose(circle, ada, ada, bell, 30) }, ada.token);
    expect(cancelled.cancelExchange.status).toBe("CANCELLED");
    expect(await memberBalance(db, ada.memberId)).toBe(0);
    expect(await memberBalance(db, bell.memberId)).toBe(0);
  });

  it("is made once when retried with the same idempotency key", async () => {
    const circle = await createCircle(db, 2);
    const [ada, bell] = circle.members;
    const key = randomUUID();
    const first = await succeed(PROPOSE, proposal(circle, ada, bell, 45, { idempotencyKey: key }), ada.token);
    const retried = await succeed(PROPOSE, proposal(circle, ada, bell, 45, { idempotencyKey: key }), ada.token);
    expect(retried.proposeExchange.id).toBe(first.proposeExchange.id);
    const different = await failWith(PROPOSE, proposal(circle, ada, bell, 50, { idempotencyKey: key }), ada.token);
    expect(different.code).toBe("CONFLICT");
    const [{ count }] = await db.query(`SELECT count(*) FROM exchanges WHERE circle_id = $1`, [circle.circleId]);
    expect(Number(count)).toBe(1);
  });

  it("lists the caller's own exchanges, newest first, by status, a page at a time", async () => {
    const circle = await createCircle(db, 3);
    const [ada, bell, cy] = circle.members;
    const ids: string[] = [];
    for (const minutes of [10, 20, 30]) ids.push(await propose(circle, ada, ada, bell, minutes));
    await succeed(CONFIRM, { id: ids[0] }, bell.token);
    await propose(circle, cy, cy, bell, 40);

    const firstPage = await succeed(EXCHANGES, { circleId: circle.circleId, first: 2 }, ada.token);
    expect(firstPage.exchanges.items.map((x: { minutes: number }) => x.minutes)).toEqual([30, 20]);
    const secondPage = await succeed(
      EXCHANGES,
      { circleId: circle.circleId, first: 2, after: firstPage.exchanges.nextCursor },
      ada.token,
    );
    expect(secondPage.exchanges).toEqual({
      items: [{ id: ids[0], status: "CONFIRMED", minutes: 10 }],
      nextCursor: null,
    });
    const pending = await succeed(EXCHANGES, { circleId: circle.circleId, status: "PENDING" }, ada.token);
    expect(pending.exchanges.items.map((x: { minutes: number }) => x.minutes)).toEqual([30, 20]);
    const bells = await succeed(EXCHANGES, { circleId: circle.circleId }, bell.token);
    expect(bells.exchanges.items).toHaveLength(4);
    expect((await failWith(EXCHANGES, { circleId: circle.circleId, first: 501 }, ada.token)).code).toBe(
      "BAD_USER_INPUT",
    );
  });
});

describe("a member's history of one cycle", () => {
  it("lists only the exchanges of the cycle asked for, and refuses a label that is no cycle or a circle not the caller's", async () => {
    const earlier = precedingCycle(FIXED_CYCLE);
    const circle = await createCircle(db, 3, { openedAt: earlier.startsAt });
    const [ada, bell, cy] = circle.members;
    const inEarlier = await exchangeAt(db, circle, ada, bell, 45, hoursAfter(earlier.startsAt, 30));
    const inFixed = await exchangeAt(db, circle, bell, ada, 20, FIXED_NOW);
    await exchangeAt(db, circle, cy, bell, 15, hoursAfter(earlier.startsAt, 31));
    const HISTORY = `query History($circleId: ID!, $cycle: String) {
      exchanges(circleId: $circleId, cycle: $cycle) { items { id minutes status proposedCycle } }
    }`;

    expect(
      (await succeed(HISTORY, { circleId: circle.circleId, cycle: earlier.label }, ada.token)).exchanges.items,
    ).toEqual([{ id: inEarlier.id, minutes: 45, status: "CONFIRMED", proposedCycle: earlier.label }]);
    expect(
      (await succeed(HISTORY, { circleId: circle.circleId, cycle: FIXED_CYCLE.label }, ada.token)).exchanges.items,
    ).toEqual([{ id: inFixed.id, minutes: 20, status: "CONFIRMED", proposedCycle: FIXED_CYCLE.label }]);
    expect(
      (await succeed(HISTORY, { circleId: circle.circleId, cycle: null }, ada.token)).exchanges.items.map(
        (x: { id: string }) => x.id,
      ),
    ).toEqual([inFixed.id, inEarlier.id]);
    expect(await failWith(HISTORY, { circleId: circle.circleId, cycle: "2040-02-31" }, ada.token)).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining('"2040-02-31" is not a cycle'),
    });
    const stranger = (await createCircle(db, 1)).members[0];
    expect((await failWith(HISTORY, { circleId: circle.circleId, cycle: earlier.label }, stranger.token)).code).toBe(
      "FORBIDDEN",
    );
  });
});

describe("bad input gets a clear code and changes nothing", () => {
  let circle: TestCircle;
  let ada: TestMember;
  let bell: TestMember;
  let cy: TestMember;
  let outsider: TestMember;

  // A circle of its own for every story, so none depends on what an earlier one left behind.
  beforeEach(async () => {
    circle = await createCircle(db, 3);
    [ada, bell, cy] = circle.members;
    outsider = (await createCircle(db, 1)).members[0];
    await db.query(`UPDATE circle_settings SET floor_minutes = -60, ceiling_minutes = 60 WHERE circle_id = $1`, [
      circle.circleId,
    ]);
  });

  async function expectRefused(
    run: () => Promise<{ code: string | undefined; message: string }>,
    code: string,
    message?: RegExp,
  ) {
    const before = await ledgerSnapshot(db, circle.circleId);
    const error = await run();
    expect(error.code).toBe(code);
    if (message) expect(error.message).toMatch(message);
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  }

  it("zero, negative or more than a day of minutes", async () => {
    await expectRefused(
      () => failWith(PROPOSE, proposal(circle, ada, bell, 0), ada.token),
      "BAD_USER_INPUT",
      /at least 1 minute/,
    );
    await expectRefused(
      () => failWith(PROPOSE, proposal(circle, ada, bell, -60), ada.token),
      "BAD_USER_INPUT",
      /at least 1 minute/,
    );
    await expectRefused(
      () => failWith(PROPOSE, proposal(circle, ada, bell, 1441), ada.token),
      "BAD_USER_INPUT",
      /at most 1440 minutes/,
    );
  });

  it("an exchange with oneself, or that the caller takes no part in", async () => {
    await expectRefused(
      () => failWith(PROPOSE, proposal(circle, ada, ada, 30), ada.token),
      "BAD_USER_INPUT",
      /two different members/,
    );
    const someoneElse = { ...bell, memberId: randomUUID() };
    await expectRefused(() => failWith(PROPOSE, proposal(circle, someoneElse, bell, 30), ada.token), "FORBIDDEN");
  });

  it("a counterpart who is unknown or a member of another circle", async () => {
    await expectRefused(
      () => failWith(PROPOSE, proposal(circle, ada, { ...bell, memberId: randomUUID() }, 30), ada.token),
      "NOT_FOUND",
      /not a member of this circle/,
    );
    await expectRefused(
      () => failWith(PROPOSE, proposal(circle, ada, outsider, 30), ada.token),
      "NOT_FOUND",
      /not a member of this circle/,
    );
  });

  it("a circle the caller does not belong to, or no token at all", async () => {
    await expectRefused(() => failWith(PROPOSE, proposal(circle, outsider, bell, 30), outsider.token), "FORBIDDEN");
    await expectRefused(() => failWith(PROPOSE, proposal(circle, ada, bell, 30)), "UNAUTHENTICATED");
  });

  it("confirmation by the proposer, double confirmation, and deciding what is no longer pending", async () => {
    const id = await propose(circle, ada, ada, bell, 30);
    await expectRefused(() => failWith(CONFIRM, { id }, ada.token), "FORBIDDEN", /other party confirms/);
    await expectRefused(() => failWith(DECLINE, { id }, ada.token), "FORBIDDEN");
    await expectRefused(() => failWith(CANCEL, { id }, bell.token), "FORBIDDEN");
    await succeed(CONFIRM, { id }, bell.token);
    await expectRefused(() => failWith(CONFIRM, { id }, bell.token), "CONFLICT", /already confirmed/);
    await expectRefused(() => failWith(DECLINE, { id }, bell.token), "CONFLICT");
    await expectRefused(() => failWith(CANCEL, { id }, ada.token), "CONFLICT");
  });

  it("unknown exchange ids, malformed ids, and exchanges of other circles", async () => {
    await expectRefused(() => failWith(CONFIRM, { id: randomUUID() }, bell.token), "NOT_FOUND");
    for (const id of ["not-an-id", "1", "' OR 1=1 --"]) {
      await expectRefused(() => failWith(CONFIRM, { id }, bell.token), "BAD_USER_INPUT");
      await expectRefused(() => failWith(DECLINE, { id }, bell.token), "BAD_USER_INPUT");
      await expectRefused(() => failWith(CANCEL, { id }, ada.token), "BAD_USER_INPUT");
      expect(
        (await succeed(`query One($id: ID!) { exchange(id: $id) { id } }`, { id }, ada.token)).exchange,
      ).toBeNull();
    }
    const id = await propose(circle, ada, ada, bell, 5);
    await expectRefused(() => failWith(CONFIRM, { id }, outsider.token), "NOT_FOUND");
    await succeed(CANCEL, { id }, ada.token);
  });

  it("a confirmation that would break the floor or the ceiling", async () => {
    // Limits here are -1h and +1h; ada is credited 30 minutes and bell debited 30 first.
    await succeed(CONFIRM, { id: await propose(circle, ada, ada, bell, 30) }, bell.token);
    const overCeiling = await propose(circle, cy, ada, cy, 45);
    await expectRefused(
      () => failWith(CONFIRM, { id: overCeiling }, ada.token),
      "BAD_USER_INPUT",
      /your balance above the circle's ceiling of 1h \(your balance 0h30\)/,
    );
    const counterpartOverCeiling = await propose(circle, ada, ada, cy, 45);
    await expectRefused(
      () => failWith(CONFIRM, { id: counterpartOverCeiling }, cy.token),
      "BAD_USER_INPUT",
      /the provider above the circle's ceiling of 1h;/,
    );
    const belowFloor = await propose(circle, cy, cy, bell, 45);
    await expectRefused(
      () => failWith(CONFIRM, { id: belowFloor }, bell.token),
      "BAD_USER_INPUT",
      /your balance below the circle's floor of -1h \(your balance -0h30\)/,
    );
    const counterpartBelowFloor = await propose(circle, bell, cy, bell, 45);
    await expectRefused(
      () => failWith(CONFIRM, { id: counterpartBelowFloor }, cy.token),
      "BAD_USER_INPUT",
      /the receiver below the circle's floor of -1h;/,
    );
  });

  it("limits an organizer sets must keep floor <= 0 <= ceiling", async () => {
    const SET = `mutation Set($input: BarterLimitsInput!) { setBarterLimits(input: $input) { floorMinutes ceilingMinutes } }`;
    await expectRefused(
      () => failWith(SET, { input: { circleId: circle.circleId, floorMinutes: 60, ceilingMinutes: 600 } }, ada.token),
      "BAD_USER_INPUT",
      /floor must be zero or below/,
    );
    await expectRefused(
      () => failWith(SET, { input: { circleId: circle.circleId, floorMinutes: -60, ceilingMinutes: 600 } }, bell.token),
      "FORBIDDEN",
    );
    const set = await succeed(
      SET,
      { input: { circleId: circle.circleId, floorMinutes: -120, ceilingMinutes: 120 } },
      ada.token,
    );
    expect(set.setBarterLimits).toEqual({ floorMinutes: -120, ceilingMinutes: 120 });
  });

  it("never answers with an internal error", async () => {
    const result = await graphql(
      `
        {
          exchanges(circleId: "nope") {
            items {
              id
            }
          }
        }
      `,
      {},
      ada.token,
    );
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});
