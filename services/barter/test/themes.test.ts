import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { cycleContaining, followingCycle, precedingCycle } from "@rhizome/kit";
import { validateProposal } from "../src/domain/exchanges.js";
import { decideExchange, proposeExchange } from "./support/ledger.js";
import { createCircle, type TestCircle, type TestMember } from "./support/circles.js";
import { ledgerSnapshot } from "./support/database.js";
import { failWith, succeed } from "./support/graphql.js";
import { useBarterDatabase } from "./support/lifecycle.js";

let db: DataSource;
useBarterDatabase((opened) => (db = opened));

const SET_THEME = `mutation ($input: SetCycleThemeInput!) { setCycleTheme(input: $input) { cycle theme skills } }`;
const PUBLISH = `mutation ($input: PublishListingInput!) { publishListing(input: $input) { id } }`;
const LISTINGS = `query ($id: ID!, $first: Int, $after: String) { _entities(representations: [{ __typename: "Circle", id: $id }]) { ... on Circle {
  cycleTheme { theme skills } listings(first: $first, after: $after) { items { id skills } nextCursor } } } }`;
const SUMMARY = `query ($id: ID!, $cycle: String) { _entities(representations: [{ __typename: "Circle", id: $id }]) { ... on Circle {
  barterSummary(cycle: $cycle) { theme themeSkills themeSharePercent minutesExchanged } } } }`;

async function exchange(
  circle: TestCircle,
  provider: TestMember,
  receiver: TestMember,
  minutes: number,
  skill: string,
) {
  const result = validateProposal(
    { providerMemberId: provider.memberId, receiverMemberId: receiver.memberId, minutes, skill },
    provider.memberId,
  );
  if ("problem" in result) throw new Error(result.problem);
  const now = new Date();
  const proposed = await proposeExchange(db, circle.circleId, result.proposal, now);
  await decideExchange(db, {
    exchangeId: proposed.id,
    action: "confirm",
    memberships: [{ circleId: circle.circleId, memberId: receiver.memberId, roles: receiver.roles }],
    clock: () => new Date(),
  });
}

describe("a themed cycle", () => {
  it("shows listings with the theme's skills first, page after page", async () => {
    const circle = await createCircle(db, 3);
    const [organizer, ada, bell] = circle.members;
    const themed = (
      await succeed(
        PUBLISH,
        {
          input: { circleId: circle.circleId, kind: "OFFER", skills: ["Bike Repair"], description: "Brakes and gears" },
        },
        ada.token,
      )
    ).publishListing;
    const newer = (
      await succeed(
        PUBLISH,
        { input: { circleId: circle.circleId, kind: "OFFER", skills: ["Cooking"], description: "Soup" } },
        bell.token,
      )
    ).publishListing;
    const theme = (
      await succeed(
        SET_THEME,
        { input: { circleId: circle.circleId, theme: "  Repair ", skills: ["Bike Repair", "sewing"] } },
        organizer.token,
      )
    ).setCycleTheme;
    expect(theme).toEqual({
      cycle: cycleContaining(new Date()).label,
      theme: "Repair",
      skills: ["bike-repair", "sewing"],
    });

    const first = (await succeed(LISTINGS, { id: circle.circleId, first: 1 }, bell.token))._entities[0];
    expect(first.cycleTheme).toEqual({ theme: "Repair", skills: ["bike-repair", "sewing"] });
    expect(first.listings.items.map((l: { id: string }) => l.id)).toEqual([themed.id]);
    const second = (
      await succeed(LISTINGS, { id: circle.circleId, first: 1, after: first.listings.nextCursor }, bell.token)
    )._entities[0];
    expect(second.listings.items.map((l: { id: string }) => l.id)).toEqual([newer.id]);
    expect(second.listings.nextCursor).toBeNull();
  });

  it("is set by organizers, for the current or next cycle, with a clear error otherwise and nothing changed", async () => {
    const circle = await createCircle(db, 2);
    const [organizer, member] = circle.members;
    const current = cycleContaining(new Date());
    const input = (extra: Record<string, unknown>) => ({
      input: { circleId: circle.circleId, theme: "childcare", skills: ["childcare"], ...extra },
    });
    const before = await ledgerSnapshot(db, circle.circleId);
    expect(await failWith(SET_THEME, input({}), member.token)).toMatchObject({ code: "FORBIDDEN" });
    expect(await failWith(SET_THEME, input({ cycle: precedingCycle(current).label }), organizer.token)).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/has ended/),
    });
    expect(
      await failWith(SET_THEME, input({ cycle: followingCycle(followingCycle(current)).label }), organizer.token),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await failWith(SET_THEME, input({ theme: "x".repeat(61) }), organizer.token)).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/at most 60/),
    });
    expect(await failWith(SET_THEME, input({ skills: [] }), organizer.token)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
    const [{ count }] = await db.query(`SELECT count(*) FROM cycle_themes WHERE circle_id = $1`, [circle.circleId]);
    expect(Number(count)).toBe(0);
    expect(
      (await succeed(SET_THEME, input({ cycle: followingCycle(current).label }), organizer.token)).setCycleTheme.cycle,
    ).toBe(followingCycle(current).label);
    // Another circle's organizer cannot touch this circle's theme.
    const other = await createCircle(db, 1);
    expect(await failWith(SET_THEME, input({}), other.members[0].token)).toMatchObject({ code: "FORBIDDEN" });
  });

  it("reports the theme's share of the cycle's hours once 5 members stand behind it", async () => {
    const circle = await createCircle(db, 9);
    const [organizer, a, b, c, d, e, f, g, h] = circle.members;
    await succeed(
      SET_THEME,
      { input: { circleId: circle.circleId, theme: "food sovereignty", skills: ["cooking", "gardening"] } },
      organizer.token,
    );
    await exchange(circle, a, b, 60, "cooking");
    await exchange(circle, c, d, 60, "gardening");
    const fewer = (await succeed(SUMMARY, { id: circle.circleId, cycle: cycleContaining(new Date()).label }, a.token))
      ._entities[0].barterSummary;
    expect(fewer).toMatchObject({
      theme: "food sovereignty",
      themeSkills: ["cooking", "gardening"],
      themeSharePercent: null,
    });
    await exchange(circle, e, f, 60, "cooking");
    await exchange(circle, g, h, 60, "plumbing");
    const summary = (await succeed(SUMMARY, { id: circle.circleId, cycle: cycleContaining(new Date()).label }, a.token))
      ._entities[0].barterSummary;
    expect(summary).toEqual({
      theme: "food sovereignty",
      themeSkills: ["cooking", "gardening"],
      themeSharePercent: 75,
      minutesExchanged: 240,
    });
  });
});
