import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { followingCycle, precedingCycle } from "@rhizome/kit";
import { createCircle as createCircleAt, type TestCircle, type TestMember } from "./support/circles.js";
import { fixedClock, FIXED_CYCLE, FIXED_NOW } from "./support/clock.js";
import { useBarterDatabase } from "./support/lifecycle.js";
import { startInProcessBarter, type InProcessBarter } from "./support/in-process.js";
import { expireCircleCycle } from "../src/jobs/expire-circle-cycle.js";

const SUMMARY = `query Summary($circle: _Any!, $cycle: String) { _entities(representations: [$circle]) { ... on Circle { barterSummary(cycle: $cycle) {
  cycle isClosed minutesExchanged exchangeCount participantCount mostRequestedSkills mostOfferedSkills skillsInSurplus skillsInDeficit creditsExpiredMinutes debtsAnnulledMinutes
} } } }`;
const PROPOSE = `mutation Propose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id } }`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { id } }`;
const PUBLISH = `mutation Publish($input: PublishListingInput!) { publishListing(input: $input) { id } }`;
const EDIT = `mutation Edit($input: EditListingInput!) { editListing(input: $input) { id } }`;

let db: DataSource;
// A barter of its own whose clock stands in FIXED_CYCLE: "the current cycle" cannot change mid-run.
let barter: InProcessBarter;

useBarterDatabase((opened) => (db = opened));
beforeAll(async () => {
  barter = await startInProcessBarter({ clock: fixedClock });
});
afterAll(async () => {
  await barter?.stop();
});

const createCircle = (opened: DataSource, size: number) => createCircleAt(opened, size, { openedAt: FIXED_NOW });

async function succeed(query: string, variables: Record<string, unknown>, token?: string) {
  const result = await barter.graphql(query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

async function failWith(query: string, variables: Record<string, unknown>, token?: string) {
  const error = (await barter.graphql(query, variables, token)).errors?.[0];
  if (!error) throw new Error("Expected an error");
  return { code: error.extensions?.code, message: error.message };
}

async function exchange(circle: TestCircle, provider: TestMember, receiver: TestMember, minutes: number) {
  const input = {
    circleId: circle.circleId,
    providerMemberId: provider.memberId,
    receiverMemberId: receiver.memberId,
    minutes,
    skill: "cooking",
  };
  const { proposeExchange } = await succeed(PROPOSE, { input }, provider.token);
  await succeed(CONFIRM, { id: proposeExchange.id }, receiver.token);
}

async function list(circle: TestCircle, member: TestMember, kind: "OFFER" | "REQUEST", skill: string): Promise<string> {
  return (
    await succeed(
      PUBLISH,
      { input: { circleId: circle.circleId, kind, skills: [skill], description: `${kind.toLowerCase()} ${skill}` } },
      member.token,
    )
  ).publishListing.id;
}

const summaryOf = async (circle: TestCircle, cycle: string | null, token?: string) =>
  (await succeed(SUMMARY, { circle: { __typename: "Circle", id: circle.circleId }, cycle }, token))._entities[0]
    .barterSummary;

describe("the cycle summary", () => {
  it("stays as it was published once the cycle's expiry has run, whatever members edit later", async () => {
    const circle = await createCircle(db, 5);
    const listingIds = [];
    for (const member of circle.members) listingIds.push(await list(circle, member, "OFFER", "cooking"));
    const cycle = FIXED_CYCLE;
    await expireCircleCycle(db, circle.circleId, cycle.label, { now: cycle.endsAt });

    await succeed(EDIT, { input: { listingId: listingIds[0], skills: ["baking"] } }, circle.members[0].token);
    const summary = await summaryOf(circle, cycle.label, circle.members[1].token);
    expect(summary.mostOfferedSkills).toEqual(["cooking"]);
    expect(summary.skillsInSurplus).toEqual(["cooking"]);
  });

  it("shows members the current cycle's figures once at least 5 people stand behind each", async () => {
    const circle = await createCircle(db, 6);
    const m = circle.members;
    await exchange(circle, m[0], m[1], 60);
    await exchange(circle, m[2], m[3], 90);
    await exchange(circle, m[4], m[0], 30);
    for (const member of m.slice(0, 5)) await list(circle, member, "OFFER", "cooking");
    for (const member of m.slice(1, 6)) await list(circle, member, "REQUEST", "childcare");
    await list(circle, m[5], "OFFER", "plumbing");

    const current = FIXED_CYCLE.label;
    expect(await summaryOf(circle, current, m[5].token)).toEqual({
      cycle: current,
      isClosed: false,
      minutesExchanged: 180,
      exchangeCount: 3,
      participantCount: 5,
      mostRequestedSkills: ["childcare"],
      mostOfferedSkills: ["cooking"],
      skillsInSurplus: ["cooking"],
      skillsInDeficit: ["childcare"],
      creditsExpiredMinutes: null,
      debtsAnnulledMinutes: null,
    });
  });

  it("suppresses every figure that would describe fewer than 5 people", async () => {
    const circle = await createCircle(db, 4);
    const m = circle.members;
    await exchange(circle, m[0], m[1], 60);
    await exchange(circle, m[2], m[3], 60);
    for (const member of m) await list(circle, member, "OFFER", "cooking");
    const summary = await summaryOf(circle, FIXED_CYCLE.label, m[0].token);
    expect(summary).toMatchObject({
      minutesExchanged: null,
      exchangeCount: null,
      participantCount: null,
      mostOfferedSkills: [],
      skillsInSurplus: [],
    });
  });

  it("keeps the current cycle to members, publishes closed ones to anyone, and explains bad cycle labels", async () => {
    const circle = await createCircle(db, 1);
    const outsider = (await createCircle(db, 1)).members[0];
    const current = FIXED_CYCLE;
    const variables = (cycle: string | null) => ({ circle: { __typename: "Circle", id: circle.circleId }, cycle });
    expect((await failWith(SUMMARY, variables(current.label))).code).toBe("UNAUTHENTICATED");
    expect((await failWith(SUMMARY, variables(current.label), outsider.token)).code).toBe("FORBIDDEN");
    const lastClosed = await summaryOf(circle, null);
    expect(lastClosed).toMatchObject({ cycle: precedingCycle(current).label, isClosed: true, minutesExchanged: null });
    expect(await failWith(SUMMARY, variables("2026-11-10"))).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("is not a cycle"),
    });
    expect(await failWith(SUMMARY, variables(followingCycle(current).label))).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("has not begun"),
    });
  });

  it("publishes a closed cycle only as its expiry recorded it: before that, the public reads no figure that could still change", async () => {
    const closed = precedingCycle(FIXED_CYCLE);
    const circle = await createCircleAt(db, 5, { openedAt: closed.startsAt });
    for (const member of circle.members) await list(circle, member, "OFFER", "cooking");
    const variables = { circle: { __typename: "Circle", id: circle.circleId }, cycle: closed.label };
    // The new moon has passed, the expiry has not run: members still see the cycle counted live, the public nothing yet.
    expect(await failWith(SUMMARY, variables)).toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("not published yet"),
    });
    expect((await summaryOf(circle, closed.label, circle.members[0].token)).isClosed).toBe(true);

    await expireCircleCycle(db, circle.circleId, closed.label, { now: closed.endsAt });
    const published = await summaryOf(circle, closed.label);
    expect(published).toMatchObject({ cycle: closed.label, isClosed: true, creditsExpiredMinutes: null });
    await succeed(
      EDIT,
      { input: { listingId: await list(circle, circle.members[0], "OFFER", "sewing"), skills: ["baking"] } },
      circle.members[0].token,
    );
    expect(await summaryOf(circle, closed.label)).toEqual(published);
  });
});
