import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { MAX_OPEN_LISTINGS_PER_MEMBER } from "../src/domain/listings.js";
import { STARTER_SKILLS } from "../src/domain/skills.js";
import { createCircle, type TestCircle, type TestMember } from "./support/circles.js";
import { barterDatabase, ledgerSnapshot } from "./support/database.js";
import { failWith, graphql, succeed } from "./support/graphql.js";
import { useBarterDatabase } from "./support/lifecycle.js";

const PUBLISH = `mutation Publish($input: PublishListingInput!) { publishListing(input: $input) { id kind skills description member { id } circle { id } withdrawnAt } }`;
const EDIT = `mutation Edit($input: EditListingInput!) { editListing(input: $input) { id skills description } }`;
const WITHDRAW = `mutation Withdraw($id: ID!) { withdrawListing(listingId: $id) { id withdrawnAt } }`;
const SEARCH = `query Search($circleId: _Any!, $kind: ListingKind, $skill: String, $text: String, $first: Int, $after: String) {
  _entities(representations: [$circleId]) { ... on Circle { listings(kind: $kind, skill: $skill, text: $text, first: $first, after: $after) { items { id kind skills description } nextCursor } } }
}`;

const CAP_ATTEMPTS = 60;

let db: DataSource;
let outsider: TestMember;

useBarterDatabase((opened) => (db = opened));

beforeAll(async () => {
  outsider = (await createCircle(await barterDatabase(), 1)).members[0];
});

/** Each story has a circle of its own: ada and bell. */
async function freshCircle(): Promise<{ circle: TestCircle; ada: TestMember; bell: TestMember }> {
  const circle = await createCircle(db, 2);
  const [ada, bell] = circle.members;
  return { circle, ada, bell };
}

async function publish(
  circle: TestCircle,
  member: TestMember,
  kind: "OFFER" | "REQUEST",
  skills: string[],
  description: string,
) {
  return (await succeed(PUBLISH, { input: { circleId: circle.circleId, kind, skills, description } }, member.token))
    .publishListing;
}

async function search(circle: TestCircle, member: TestMember, filters: Record<string, unknown>) {
  const data = await succeed(
    SEARCH,
    { circleId: { __typename: "Circle", id: circle.circleId }, ...filters },
    member.token,
  );
  return data._entities[0].listings as {
    items: Array<{ id: string; kind: string; skills: string[]; description: string }>;
    nextCursor: string | null;
  };
}

describe("offers and requests", () => {
  it("are published with normalised skill tags", async () => {
    const { circle, ada } = await freshCircle();
    const offer = await publish(
      circle,
      ada,
      "OFFER",
      ["  Bike   Repair ", "bike repair", "Welding"],
      "  I can true wheels and fix brakes  ",
    );
    expect(offer).toMatchObject({
      kind: "OFFER",
      skills: ["bike-repair", "welding"],
      description: "I can true wheels and fix brakes",
      member: { id: ada.memberId },
      withdrawnAt: null,
    });
  });

  it("are found by kind, by skill and by words, newest first, a page at a time", async () => {
    const { circle, ada, bell } = await freshCircle();
    await publish(circle, ada, "OFFER", ["bike repair"], "I can true wheels and fix brakes");
    const request = await publish(
      circle,
      bell,
      "REQUEST",
      ["childcare"],
      "Someone to walk my kids to school on Tuesdays",
    );
    const soup = await publish(circle, bell, "OFFER", ["cooking"], "Big pots of lentil soup for anyone recovering");
    expect((await search(circle, ada, { kind: "REQUEST" })).items.map((l) => l.id)).toEqual([request.id]);
    expect((await search(circle, ada, { skill: "Child Care" })).items).toEqual([]);
    expect((await search(circle, ada, { skill: "CHILDCARE" })).items.map((l) => l.id)).toEqual([request.id]);
    expect((await search(circle, ada, { text: "lentil" })).items.map((l) => l.id)).toEqual([soup.id]);
    expect((await search(circle, ada, { text: "bike" })).items).toHaveLength(1);
    const firstPage = await search(circle, ada, { first: 2 });
    expect(firstPage.items.map((l) => l.id)).toEqual([soup.id, request.id]);
    const secondPage = await search(circle, ada, { first: 2, after: firstPage.nextCursor });
    expect(secondPage.items.map((l) => l.skills[0])).toEqual(["bike-repair"]);
    expect(secondPage.nextCursor).toBeNull();
  });

  it("are edited and withdrawn only by the member who published them", async () => {
    const { circle, ada, bell } = await freshCircle();
    const offer = await publish(circle, ada, "OFFER", ["sewing"], "Hemming and patching");
    const edited = await succeed(EDIT, { input: { listingId: offer.id, skills: ["Sewing", "knitting"] } }, ada.token);
    expect(edited.editListing).toMatchObject({ skills: ["sewing", "knitting"], description: "Hemming and patching" });

    const before = await ledgerSnapshot(db, circle.circleId);
    expect((await failWith(EDIT, { input: { listingId: offer.id, description: "mine now" } }, bell.token)).code).toBe(
      "FORBIDDEN",
    );
    expect((await failWith(WITHDRAW, { id: offer.id }, bell.token)).code).toBe("FORBIDDEN");
    expect((await failWith(WITHDRAW, { id: offer.id }, outsider.token)).code).toBe("NOT_FOUND");
    expect((await failWith(WITHDRAW, { id: randomUUID() }, ada.token)).code).toBe("NOT_FOUND");
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);

    const withdrawn = await succeed(WITHDRAW, { id: offer.id }, ada.token);
    expect(withdrawn.withdrawListing.withdrawnAt).not.toBeNull();
    expect((await search(circle, ada, { skill: "sewing" })).items).toEqual([]);
    expect((await failWith(WITHDRAW, { id: offer.id }, ada.token)).code).toBe("CONFLICT");
  });

  it("answer an id that is not a listing's with NOT_FOUND or BAD_USER_INPUT, never an internal error", async () => {
    const { circle, ada } = await freshCircle();
    const before = await ledgerSnapshot(db, circle.circleId);
    for (const id of ["not-a-uuid", "1", "' OR 1=1 --", "", "0000"]) {
      expect((await failWith(WITHDRAW, { id }, ada.token)).code).toBe("NOT_FOUND");
      expect((await failWith(EDIT, { input: { listingId: id, description: "x" } }, ada.token)).code).toBe(
        "BAD_USER_INPUT",
      );
    }
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  });

  it(`hold the cap of ${MAX_OPEN_LISTINGS_PER_MEMBER} open listings per member when ${CAP_ATTEMPTS} publishes race`, async () => {
    const { circle, ada } = await freshCircle();
    const input = (i: number) => ({
      input: { circleId: circle.circleId, kind: "OFFER", skills: ["cooking"], description: `Soup number ${i}` },
    });
    const results = await Promise.all(
      Array.from({ length: CAP_ATTEMPTS }, (_, i) => graphql(PUBLISH, input(i), ada.token)),
    );
    const published = results.filter((r) => r.data?.publishListing?.id);
    const refused = results.filter((r) => r.errors?.length);
    expect(published).toHaveLength(MAX_OPEN_LISTINGS_PER_MEMBER);
    expect(refused).toHaveLength(CAP_ATTEMPTS - MAX_OPEN_LISTINGS_PER_MEMBER);
    for (const result of refused) {
      expect(result.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors![0].message).toContain(`${MAX_OPEN_LISTINGS_PER_MEMBER} open listings`);
    }
    const [{ count }] = await db.query(`SELECT count(*) FROM listings WHERE member_id = $1 AND withdrawn_at IS NULL`, [
      ada.memberId,
    ]);
    expect(Number(count)).toBe(MAX_OPEN_LISTINGS_PER_MEMBER);
  });

  it("are for members only", async () => {
    const { circle } = await freshCircle();
    expect(
      (
        await failWith(
          PUBLISH,
          { input: { circleId: circle.circleId, kind: "OFFER", skills: ["x"], description: "y" } },
          outsider.token,
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId } }, outsider.token)).code,
    ).toBe("FORBIDDEN");
    expect((await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId } })).code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("refuse bad tags, descriptions and searches with the limit in the message, changing nothing", async () => {
    const { circle, ada } = await freshCircle();
    const before = await ledgerSnapshot(db, circle.circleId);
    const attempt = (skills: string[], description: string) =>
      failWith(PUBLISH, { input: { circleId: circle.circleId, kind: "OFFER", skills, description } }, ada.token);
    expect(await attempt([], "something")).toMatchObject({
      code: "BAD_USER_INPUT",
      message: "Give at least one skill.",
    });
    expect(await attempt(["a".repeat(41)], "something")).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("40 characters"),
    });
    expect(await attempt(["1", "2", "3", "4", "5", "6", "7", "8", "9"], "something")).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("at most 8 skills"),
    });
    expect(await attempt(["cooking"], "   ")).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await attempt(["cooking"], "x".repeat(501))).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("keep it to 500"),
    });
    expect(
      await failWith(
        SEARCH,
        { circleId: { __typename: "Circle", id: circle.circleId }, text: "x".repeat(101) },
        ada.token,
      ),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(
      await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId }, first: 10_000 }, ada.token),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(
      await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId }, after: "bogus" }, ada.token),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  });

  it("come with a starter list of common skills, already normalised", async () => {
    const data = await succeed(`{ barterStarterSkills }`);
    expect(data.barterStarterSkills).toEqual([...STARTER_SKILLS]);
  });
});
