import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, failure, startTestService, succeed, testMember, type TestMember, type TestService } from "@rhizome/kit/testing";
import type { DefenseConfig } from "../src/config.js";
import { defenseService } from "../src/service.js";

const ADD_NOTE = `mutation AddNote($input: AddDefenseNoteInput!) { addDefenseNote(input: $input) { id text circle { id } writtenBy { id } } }`;
const NOTES = `query Notes($circleId: ID!, $first: Int, $after: String) { defenseNotes(circleId: $circleId, first: $first, after: $after) { items { id text } nextCursor } }`;
const NOTE_BY_REFERENCE = `query Note($note: _Any!) { _entities(representations: [$note]) { ... on DefenseNote { id text } } }`;

let service: TestService<DefenseConfig>;
let ada: TestMember;
let bell: TestMember;
let outsider: TestMember;

beforeAll(async () => {
  service = await startTestService(defenseService);
  const circleId = randomUUID();
  ada = await testMember(circleId);
  bell = await testMember(circleId);
  outsider = await testMember(randomUUID());
});

afterAll(async () => {
  await service?.stop();
});

async function addNote(member: TestMember, text: string, circleId = member.circleId) {
  return (await succeed(service.url, ADD_NOTE, { input: { circleId, text } }, member.token)).addDefenseNote as { id: string; text: string };
}

describe("notes of a circle", () => {
  it("are written by members and read by their circle, newest first, a page at a time", async () => {
    const ladder = await addNote(ada, "  Bring a ladder on Saturday ");
    expect(ladder).toMatchObject({ text: "Bring a ladder on Saturday" });
    const soup = await addNote(bell, "Soup at the corner at six");

    const firstPage = (await succeed(service.url, NOTES, { circleId: ada.circleId, first: 1 }, bell.token)).defenseNotes;
    expect(firstPage.items.map((note: { id: string }) => note.id)).toEqual([soup.id]);
    const secondPage = (await succeed(service.url, NOTES, { circleId: ada.circleId, first: 1, after: firstPage.nextCursor }, bell.token)).defenseNotes;
    expect(secondPage).toEqual({ items: [{ id: ladder.id, text: "Bring a ladder on Saturday" }], nextCursor: null });
  });

  it("refuses an empty note with a message that says why", async () => {
    expect(await failure(service.url, ADD_NOTE, { input: { circleId: ada.circleId, text: "  " } }, ada.token)).toMatchObject({
      code: "BAD_USER_INPUT",
      message: "A note cannot be empty.",
    });
  });

  it("are invisible and untouchable for members of other circles, through every field", async () => {
    const note = await addNote(ada, "Keys are under the blue pot");
    const before = await circleSnapshot(service.runtime.db, ada.circleId);

    expect((await failure(service.url, NOTES, { circleId: ada.circleId }, outsider.token)).code).toBe("FORBIDDEN");
    expect((await failure(service.url, ADD_NOTE, { input: { circleId: ada.circleId, text: "Not my circle" } }, outsider.token)).code).toBe("FORBIDDEN");
    expect((await failure(service.url, NOTES, { circleId: ada.circleId })).code).toBe("UNAUTHENTICATED");
    const reference = { note: { __typename: "DefenseNote", id: note.id } };
    expect((await succeed(service.url, NOTE_BY_REFERENCE, reference, outsider.token))._entities).toEqual([null]);
    expect((await succeed(service.url, NOTE_BY_REFERENCE, reference, bell.token))._entities).toEqual([{ id: note.id, text: note.text }]);

    expect(await circleSnapshot(service.runtime.db, ada.circleId)).toEqual(before);
  });
});
