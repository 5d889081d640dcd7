import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, followingCycle, manualClock, type LunarCycle } from "@rhizome/kit";
import {
  circleWithMembers,
  eventually,
  foundCircle,
  hubEnvironment,
  queryDatabase,
  startTestService,
  succeed,
  type Session,
  type TestService,
} from "@rhizome/kit/testing";
import type { SovereigntyConfig } from "../src/config.js";
import { sovereigntyService } from "../src/service.js";

const PUBLISH = `mutation Publish($input: PublishListingInput!) { publishListing(input: $input) { id } }`;
const EDIT = `mutation Edit($input: EditListingInput!) { editListing(input: $input) { id skills } }`;
const WITHDRAW = `mutation Withdraw($listingId: ID!) { withdrawListing(listingId: $listingId) { id } }`;
const ADD_TOOL = `mutation AddTool($input: AddToolInput!) { addTool(input: $input) { id category } }`;
const UPDATE_TOOL = `mutation UpdateTool($input: UpdateToolInput!) { updateTool(input: $input) { id category } }`;
const RESERVE = `mutation Reserve($toolId: ID!) { reserveTool(toolId: $toolId) { id } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelReservation(reservationId: $id) { id } }`;
const BOARD = `query Board($circleId: ID!) { needsBoard(circleId: $circleId) { categories { category openNeeds peopleWaiting membersWaiting openRequests reservationsWaiting } } }`;

const gatewayUrl = () => hubEnvironment().gatewayUrl;

async function request(member: Session, circleId: string, skills: string[]): Promise<string> {
  return (
    await succeed(
      gatewayUrl(),
      PUBLISH,
      { input: { circleId, kind: "REQUEST", skills, description: "Someone to look at it with me" } },
      member.token,
    )
  ).publishListing.id;
}

async function reserve(member: Session, toolId: string): Promise<string> {
  return (await succeed(gatewayUrl(), RESERVE, { toolId }, member.token)).reserveTool.id;
}

async function board(circleId: string) {
  return (await succeed(gatewayUrl(), BOARD, { circleId })).needsBoard.categories as Array<Record<string, unknown>>;
}

// Sovereignty's API on the hub's database with a clock the test moves, to read the board after new moons.
let later: TestService<SovereigntyConfig>;
const clock = manualClock(new Date());
let shownCycle: LunarCycle = cycleContaining(clock());
beforeAll(async () => {
  later = await startTestService(sovereigntyService, { clock, env: { ROLE: "api" } });
});
afterAll(() => later?.stop());

/** The board as the public reads it a day into the next lunar cycle. */
async function boardAfterNewMoon(circleId: string) {
  shownCycle = followingCycle(shownCycle);
  clock.set(new Date(shownCycle.startsAt.getTime() + 24 * 3_600_000));
  return (await succeed(later.url, BOARD, { circleId })).needsBoard.categories as Array<Record<string, unknown>>;
}

/**
 * Waits until sovereignty has learned exactly these members' needs in the circle (rows per need and
 * category), so that what the board does not show is known to be withheld, not merely late.
 */
async function sovereigntyKnows(circleId: string, expected: Record<string, number>) {
  const known = async () => {
    const rows = await queryDatabase<{ source: string; count: number }>(
      `SELECT source, count(*)::int AS count FROM sovereignty.waiting_needs WHERE circle_id = $1 GROUP BY source`,
      [circleId],
    );
    return Object.fromEntries(rows.map((row) => [row.source, row.count]));
  };
  await eventually(
    async () => (JSON.stringify(await known()) === JSON.stringify(expected) ? true : undefined),
    `sovereignty to know ${JSON.stringify(expected)}`,
  );
}

describe("members' needs on the public board", () => {
  it("appear at a new moon once 5 distinct people need the same thing, from barter requests and tool reservations, and change only by 5 people", async () => {
    const { circle, members } = await circleWithMembers(
      gatewayUrl(),
      ["ada", "bo", "cy", "dee", "eli", "fay"],
      "needs-board",
    );
    const { ada, bo, cy, dee, eli, fay } = members;
    const tool = (
      await succeed(
        gatewayUrl(),
        ADD_TOOL,
        { input: { circleId: circle.id, name: "Bike stand", category: "Bike Repair" } },
        circle.organizer.token,
      )
    ).addTool;
    expect(tool.category).toBe("bike-repair");

    const requests = {
      ada: await request(ada, circle.id, ["Bike repair", "welding"]),
      bo: await request(bo, circle.id, ["bike-repair"]),
      cy: await request(cy, circle.id, ["bike repair"]),
    };
    await succeed(
      gatewayUrl(),
      PUBLISH,
      { input: { circleId: circle.id, kind: "OFFER", skills: ["bike-repair"], description: "I fix bikes" } },
      fay.token,
    );
    const reservations: Record<string, string> = { ada: await reserve(ada, tool.id), dee: await reserve(dee, tool.id) };
    // Four people (ada both asked and waits): nothing about them is published.
    await sovereigntyKnows(circle.id, { REQUEST: 4, RESERVATION: 2 });
    expect(await board(circle.id)).toEqual([]);

    reservations.eli = await reserve(eli, tool.id);
    await sovereigntyKnows(circle.id, { REQUEST: 4, RESERVATION: 3 });
    // Five people now, but within the cycle nothing one member does shows on the board.
    expect(await board(circle.id)).toEqual([]);
    // At the new moon, five people came since the board was last published: 3 behind requests and 3 behind reservations, so the split stays withheld.
    expect(await boardAfterNewMoon(circle.id)).toEqual([
      {
        category: "bike-repair",
        openNeeds: 0,
        peopleWaiting: null,
        membersWaiting: 5,
        openRequests: null,
        reservationsWaiting: null,
      },
    ]);

    // Another circle's need in the same category counts on its own board only.
    const elsewhere = await foundCircle(gatewayUrl(), "needs-elsewhere");
    await request(elsewhere.organizer, elsewhere.id, ["bike-repair"]);
    await sovereigntyKnows(elsewhere.id, { REQUEST: 1 });
    expect(await board(elsewhere.id)).toEqual([]);

    // Ada withdraws her request but still waits for the stand: still the same five people.
    await succeed(gatewayUrl(), WITHDRAW, { listingId: requests.ada }, ada.token);
    await sovereigntyKnows(circle.id, { REQUEST: 2, RESERVATION: 3 });
    expect((await boardAfterNewMoon(circle.id))[0]).toMatchObject({ category: "bike-repair", membersWaiting: 5 });

    // Dee leaves the queue: four people. One person leaving never shows: the published five stay
    // until five people have come or gone (what the public loses: a figure that lags behind).
    await succeed(gatewayUrl(), CANCEL, { id: reservations.dee }, dee.token);
    await sovereigntyKnows(circle.id, { REQUEST: 2, RESERVATION: 2 });
    expect((await boardAfterNewMoon(circle.id))[0]).toMatchObject({ category: "bike-repair", membersWaiting: 5 });

    // Bo's request changes to another skill: it moves with it.
    await succeed(gatewayUrl(), EDIT, { input: { listingId: requests.bo, skills: ["Tire patching"] } }, bo.token);
    await eventually(
      async () =>
        (
          await queryDatabase(
            `SELECT 1 FROM sovereignty.waiting_needs WHERE source_id = $1 AND category = 'tire-patching'`,
            [requests.bo],
          )
        ).length === 1
          ? true
          : undefined,
      "bo's request to move to tire-patching",
    );
    await sovereigntyKnows(circle.id, { REQUEST: 2, RESERVATION: 2 });

    // The tool's category changes: those waiting for it now need that.
    await succeed(
      gatewayUrl(),
      UPDATE_TOOL,
      { input: { toolId: tool.id, category: "tire patching" } },
      circle.organizer.token,
    );
    await eventually(
      async () =>
        (
          await queryDatabase(
            `SELECT 1 FROM sovereignty.waiting_needs WHERE circle_id = $1 AND source = 'RESERVATION' AND category = 'tire-patching'`,
            [circle.id],
          )
        ).length === 2
          ? true
          : undefined,
      "the reservations to move to tire-patching",
    );
    // bo asks, ada and eli wait for tire patching: three people, not shown; bike-repair has lost 4 of its 5, so it stays as published.
    expect(await boardAfterNewMoon(circle.id)).toEqual([
      {
        category: "bike-repair",
        openNeeds: 0,
        peopleWaiting: null,
        membersWaiting: 5,
        openRequests: null,
        reservationsWaiting: null,
      },
    ]);
    // Nothing the board keeps names what anyone wrote, and nothing is kept of closed needs.
    const kept = await queryDatabase<{ row: string }>(
      `SELECT w::text AS row FROM sovereignty.waiting_needs w WHERE circle_id = $1`,
      [circle.id],
    );
    expect(kept.map((k) => k.row).join(" ")).not.toMatch(/look at it|welding|Bike stand/);
    expect(kept).toHaveLength(4);
  });
});
