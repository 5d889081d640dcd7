import { describe, expect, it } from "vitest";
import { mayCallRoot, mayDisclose, spreadDisclosureClasses, subjectOf, type Caller } from "../src/index.js";

const circleA = "11111111-1111-4111-8111-111111111111";
const circleB = "22222222-2222-4222-8222-222222222222";
const person = (memberships: Array<[string, string, Array<"member" | "steward" | "organizer">]>): Caller => ({
  kind: "person",
  personId: "p",
  memberships: memberships.map(([circleId, memberId, roles]) => ({ circleId, memberId, roles })),
});
const ada = person([[circleA, "ada", ["member"]]]);
const steward = person([[circleA, "sam", ["member", "steward"]]]);
const outsider = person([[circleB, "bo", ["member", "organizer"]]]);

describe("who may read a field of each class", () => {
  it("shows members' fields to members of the object's circle only", () => {
    expect(mayDisclose("members", ada, { circleId: circleA })).toBe(true);
    expect(mayDisclose("members", outsider, { circleId: circleA })).toBe(false);
    expect(mayDisclose("members", { kind: "anonymous" }, { circleId: circleA })).toBe(false);
    expect(mayDisclose("members", ada, {})).toBe(false);
  });

  it("shows a member's own fields to that member alone, not to stewards or organizers of another circle", () => {
    expect(mayDisclose("self", ada, { circleId: circleA, memberId: "ada" })).toBe(true);
    expect(mayDisclose("self", steward, { circleId: circleA, memberId: "ada" })).toBe(false);
    expect(mayDisclose("self", outsider, { circleId: circleA, memberId: "ada" })).toBe(false);
  });

  it("shows stewards' fields to the circle's stewards and the member concerned", () => {
    expect(mayDisclose("stewards", steward, { circleId: circleA, memberId: "ada" })).toBe(true);
    expect(mayDisclose("stewards", ada, { circleId: circleA, memberId: "ada" })).toBe(true);
    expect(mayDisclose("stewards", ada, { circleId: circleA, memberId: "zoe" })).toBe(false);
    expect(mayDisclose("stewards", outsider, { circleId: circleA })).toBe(false);
  });

  it("shows a case's fields to its granted handlers and the member concerned, never to a steward as such", () => {
    const subject = { circleId: circleA, memberId: "zoe", handlerMemberIds: ["ada"] };
    expect(mayDisclose("handlers", ada, subject)).toBe(true);
    expect(mayDisclose("handlers", steward, subject)).toBe(false);
  });

  it("keeps public and viewer fields open, and operator fields to the operator", () => {
    expect(mayDisclose("public", { kind: "anonymous" }, {})).toBe(true);
    expect(mayDisclose("operator", steward, { circleId: circleA })).toBe(false);
    expect(mayDisclose("operator", { kind: "operator" }, {})).toBe(true);
    expect(mayCallRoot("members", { kind: "anonymous" })).toBe(false);
    expect(mayCallRoot("members", { kind: "apiKey", keyId: "k", circleId: circleA, scopes: ["public:read"] })).toBe(
      false,
    );
    expect(mayCallRoot("public", { kind: "anonymous" })).toBe(true);
  });

  it("reads what an object is about from its own properties", () => {
    expect(subjectOf("Tool", { circleId: circleA, memberId: "ada" })).toMatchObject({
      circleId: circleA,
      memberId: "ada",
    });
    expect(subjectOf("Proposal", { circle: { id: circleA } })).toMatchObject({ circleId: circleA });
    expect(subjectOf("Circle", { id: circleA })).toMatchObject({ circleId: circleA });
    expect(subjectOf("Member", { id: "ada" })).toMatchObject({ memberId: "ada" });
  });
});

describe("declaring classes", () => {
  it("gives a type's class to each of its fields without one, and fails on a field with none", () => {
    const spread = spreadDisclosureClasses(
      'type Tool @disclosure(to: "members") { id: ID! secret: String @disclosure(to: "self") }',
    );
    expect(spread).toContain('id: ID! @disclosure(to: "members")');
    expect(spread).toContain('secret: String @disclosure(to: "self")');
    expect(() => spreadDisclosureClasses("type Tool { id: ID! }")).toThrow(/Tool\.id/);
    expect(() => spreadDisclosureClasses('type Tool { id: ID! @disclosure(to: "friends") }')).toThrow(/friends/);
  });
});
