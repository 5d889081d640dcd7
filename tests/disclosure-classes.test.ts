import { describe, expect, it } from "vitest";
import { buildSchema, isObjectType, Kind, type GraphQLField } from "graphql";
import { audiences } from "@rhizome/kit";
import { committedSupergraph } from "../schema/composition.js";

function classOf(field: GraphQLField<unknown, unknown>): string | undefined {
  const directive = field.astNode?.directives?.find((d) => d.name.value === "disclosure");
  const argument = directive?.arguments?.find((a) => a.name.value === "to");
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
}

describe("the disclosure model", () => {
  it("gives every field of the composed supergraph a known disclosure class", async () => {
    const schema = buildSchema(await committedSupergraph(), { assumeValidSDL: true });
    const unclassed: string[] = [];
    const unknown: string[] = [];
    let fieldCount = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        !isObjectType(type) ||
        type.name.startsWith("_") ||
        type.name.startsWith("join__") ||
        type.name.startsWith("link__")
      )
        continue;
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith("_")) continue;
        fieldCount += 1;
        const audience = classOf(field);
        if (!audience) unclassed.push(`${type.name}.${field.name}`);
        else if (!(audiences as readonly string[]).includes(audience))
          unknown.push(`${type.name}.${field.name}: ${audience}`);
      }
    }
    expect(fieldCount).toBeGreaterThan(800);
    expect(unclassed).toEqual([]);
    expect(unknown).toEqual([]);
  });
});
