import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { execute, parse } from "graphql";
import { Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from "type-graphql";
import { buildSubgraph } from "../src/api/subgraph.js";
import { Disclose } from "../src/api/disclosure.js";
import type { Caller } from "../src/auth/auth.js";

const circleA = "11111111-1111-4111-8111-111111111111";
const circleB = "22222222-2222-4222-8222-222222222222";

@Disclose("members")
@ObjectType("Pledge")
class Pledge {
  @Field(() => ID) id!: string;
  circleId!: string;
  memberId!: string;
  @Disclose("self") @Field(() => String, { nullable: true }) contact!: string | null;
  @Field(() => [PledgeNote]) notes!: PledgeNote[];
}

/** No circle of its own: it belongs to the pledge it is read through. */
@Disclose("members")
@ObjectType("PledgeNote")
class PledgeNote {
  @Field(() => String) text!: string;
  @Disclose("stewards") @Field(() => String, { nullable: true }) stewardsOnly!: string | null;
}

const rows: Pledge[] = [
  Object.assign(new Pledge(), {
    id: "p1",
    circleId: circleA,
    memberId: "ada",
    contact: "ada's phone",
    notes: [{ text: "hello", stewardsOnly: "amount" }],
  }),
  Object.assign(new Pledge(), { id: "p2", circleId: circleB, memberId: "bo", contact: "bo's phone", notes: [] }),
];

@Resolver(() => Pledge)
class PledgeResolver {
  /** Deliberately careless: answers every circle's pledges, as a resolver with a bug would. */
  @Disclose("members")
  @Query(() => [Pledge], { nullable: "items" })
  pledges(): Pledge[] {
    return rows;
  }

  @Disclose("public")
  @Query(() => String)
  hello(): string {
    return "hi";
  }

  @Disclose("self")
  @FieldResolver(() => String, { nullable: true })
  whisper(@Root() pledge: Pledge): string {
    return `whisper of ${pledge.id}`;
  }
}

const person = (memberId: string, circleId: string, roles: Array<"member" | "steward">): Caller => ({
  kind: "person",
  personId: memberId,
  memberships: [{ circleId, memberId, roles }],
});

describe("the kit's disclosure check, on a subgraph whose resolver answers too much", async () => {
  const { schema, sdl } = await buildSubgraph({ resolvers: [PledgeResolver] });
  const run = async (caller: Caller, query: string) =>
    execute({ schema, document: parse(query), contextValue: { caller } });

  it("prints each field's class into the subgraph's SDL for the supergraph", () => {
    expect(sdl).toMatch(/contact: String @disclosure\(to: "self"\)/);
    expect(sdl).toMatch(/text: String! @disclosure\(to: "members"\)/);
  });

  it("hides another circle's objects and another member's own fields, whatever the resolver returned", async () => {
    const result = await run(
      person("cy", circleA, ["member"]),
      "{ pledges { id contact whisper notes { text stewardsOnly } } }",
    );
    const pledges = result.data?.pledges as Array<Record<string, unknown>> | undefined;
    expect(pledges?.[0]).toEqual({
      id: "p1",
      contact: null,
      whisper: null,
      notes: [{ text: "hello", stewardsOnly: null }],
    });
    expect(pledges?.[1]).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toContain("FORBIDDEN");
  });

  it("shows the member their own fields, and stewards what is theirs through the object it belongs to", async () => {
    const ada = await run(person("ada", circleA, ["member"]), "{ pledges { id contact whisper } }");
    expect((ada.data?.pledges as unknown[])[0]).toEqual({ id: "p1", contact: "ada's phone", whisper: "whisper of p1" });
    const steward = await run(
      person("sam", circleA, ["member", "steward"]),
      "{ pledges { contact notes { stewardsOnly } } }",
    );
    expect((steward.data?.pledges as unknown[])[0]).toEqual({ contact: null, notes: [{ stewardsOnly: "amount" }] });
  });

  it("refuses a non-public root field to an anonymous caller, and answers a public one", async () => {
    const refused = await run({ kind: "anonymous" }, "{ pledges { id } }");
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await run({ kind: "anonymous" }, "{ hello }")).data).toEqual({ hello: "hi" });
  });
});
