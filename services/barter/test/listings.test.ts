import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { STARTER_SKILLS } from "../src/domain/skills.js";
import { closeInboxQueue, createCircle, type TestCircle, type TestMember } from "./support/circles.js";
import { barterDatabase, closeBarterDatabase, ledgerSnapshot } from "./support/database.js";
import { failWith, succeed } from "./support/graphql.js";

const PUBLISH = `mutation Publish($input: PublishListingInput!) { publishListing(input: $input) { id kind skills description member { id } circle { id } withdrawnAt } }`;
const EDIT = `mutation Edit($input: EditListingInput!) { editListing(input: $input) { id skills description } }`;
const WITHDRAW = `mutation Withdraw($id: ID!) { withdrawListing(listingId: $id) { id withdrawnAt } }`;
const SEARCH = `query Search($circleId: _Any!, $kind: ListingKind, $skill: String, $text: String, $first: Int, $after: String) {
  _entities(representations: [$circleId]) { ... on Circle { listings(kind: $kind, skill: $skill, text: $text, first: $first, after: $after) { items { id kind skills description } nextCursor } } }
}`;

let db: DataSource;
let circle: TestCircle;
let ada: TestMember;
let bell: TestMember;
let outsider: TestMember;

beforeAll(async () => {
  db = await barterDatabase();
  circle = await createCircle(db, 2);
  [ada, bell] = circle.members;
  outsider = (await createCircle(db, 1)).members[0];
});

afterAll(async () => {
  await closeInboxQueue();
  await closeBarterDatabase();
});

async function publish(member: TestMember, kind: "OFFER" | "REQUEST", skills: string[], description: string) {
  return (await succeed(PUBLISH, { input: { circleId: circle.circleId, kind, skills, description } }, member.token)).publishListing;
}

async function search(member: TestMember, filters: Record<string, unknown>) {
  const data = await succeed(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId }, ...filters }, member.token);
  return data._entities[0].listings as { items: Array<{ id: string; kind: string; skills: string[]; description: string }>; nextCursor: string | null };
}

describe("offers and requests", () => {
  it("are published with normalised skill tags", async () => {
    const offer = await publish(ada, "OFFER", ["  Bike   Repair ", "bike repair", "Welding"], "  I can true wheels and fix brakes  ");
    expect(offer).toMatchObject({ kind: "OFFER", skills: ["bike-repair", "welding"], description: "I can true wheels and fix brakes", member: { id: ada.memberId }, withdrawnAt: null });
  });

  it("are found by kind, by skill and by words, newest first, a page at a time", async () => {
    const request = await publish(bell, "REQUEST", ["childcare"], "Someone to walk my kids to school on Tuesdays");
    const soup = await publish(bell, "OFFER", ["cooking"], "Big pots of lentil soup for anyone recovering");
    expect((await search(ada, { kind: "REQUEST" })).items.map((l) => l.id)).toEqual([request.id]);
    expect((await search(ada, { skill: "Child Care" })).items).toEqual([]);
    expect((await search(ada, { skill: "CHILDCARE" })).items.map((l) => l.id)).toEqual([request.id]);
    expect((await search(ada, { text: "lentil" })).items.map((l) => l.id)).toEqual([soup.id]);
    expect((await search(ada, { text: "bike" })).items).toHaveLength(1);
    const firstPage = await search(ada, { first: 2 });
    expect(firstPage.items.map((l) => l.id)).toEqual([soup.id, request.id]);
    const secondPage = await search(ada, { first: 2, after: firstPage.nextCursor });
    expect(secondPage.items.map((l) => l.skills[0])).toEqual(["bike-repair"]);
    expect(secondPage.nextCursor).toBeNull();
  });

  it("are edited and withdrawn only by the member who published them", async () => {
    const offer = await publish(ada, "OFFER", ["sewing"], "Hemming and patching");
    const edited = await succeed(EDIT, { input: { listingId: offer.id, skills: ["Sewing", "knitting"] } }, ada.token);
    expect(edited.editListing).toMatchObject({ skills: ["sewing", "knitting"], description: "Hemming and patching" });

    const before = await ledgerSnapshot(db, circle.circleId);
    expect((await failWith(EDIT, { input: { listingId: offer.id, description: "mine now" } }, bell.token)).code).toBe("FORBIDDEN");
    expect((await failWith(WITHDRAW, { id: offer.id }, bell.token)).code).toBe("FORBIDDEN");
    expect((await failWith(WITHDRAW, { id: offer.id }, outsider.token)).code).toBe("NOT_FOUND");
    expect((await failWith(WITHDRAW, { id: randomUUID() }, ada.token)).code).toBe("NOT_FOUND");
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);

    const withdrawn = await succeed(WITHDRAW, { id: offer.id }, ada.token);
    expect(withdrawn.withdrawListing.withdrawnAt).not.toBeNull();
    expect((await search(ada, { skill: "sewing" })).items).toEqual([]);
    expect((await failWith(WITHDRAW, { id: offer.id }, ada.token)).code).toBe("CONFLICT");
  });

  it("are for members only", async () => {
    expect((await failWith(PUBLISH, { input: { circleId: circle.circleId, kind: "OFFER", skills: ["x"], description: "y" } }, outsider.token)).code).toBe("FORBIDDEN");
    expect((await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId } }, outsider.token)).code).toBe("FORBIDDEN");
    expect((await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId } })).code).toBe("UNAUTHENTICATED");
  });

  it("refuse bad tags, descriptions and searches with the limit in the message, changing nothing", async () => {
    const before = await ledgerSnapshot(db, circle.circleId);
    const attempt = (skills: string[], description: string) => failWith(PUBLISH, { input: { circleId: circle.circleId, kind: "OFFER", skills, description } }, ada.token);
    expect(await attempt([], "something")).toMatchObject({ code: "BAD_USER_INPUT", message: "Give at least one skill." });
    expect(await attempt(["a".repeat(41)], "something")).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("40 characters") });
    expect(await attempt(["1", "2", "3", "4", "5", "6", "7", "8", "9"], "something")).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("at most 8 skills") });
    expect(await attempt(["cooking"], "   ")).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await attempt(["cooking"], "x".repeat(501))).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("keep it to 500") });
    expect(await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId }, text: "x".repeat(101) }, ada.token)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId }, first: 10_000 }, ada.token)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await failWith(SEARCH, { circleId: { __typename: "Circle", id: circle.circleId }, after: "bogus" }, ada.token)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  });

  it("come with a starter list of common skills, already normalised", async () => {
    const data = await succeed(`{ barterStarterSkills }`);
    expect(data.barterStarterSkills).toEqual([...STARTER_SKILLS]);
  });
});
