import { boundedText, conflict, defineAction, isRefusal, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { MAX_REFLECTION_LENGTH } from "../domain/limits.js";
import { insertReflection, MAX_REFLECTIONS, type ReflectionKindName } from "../store/assemblies.js";
import { NO_ASSEMBLY } from "./not-found.js";

export interface AddReflectionInput {
  assemblyId: string;
  kind: ReflectionKindName;
  text: string;
  mayQuote: boolean;
}

/** A member records a failure, a win or a tension at an assembly; with mayQuote the narrative hub may quote it. */
export const addReflection = defineAction({
  authorize: async ({ context, caller }: ActionStep<GovernanceContext>, input: AddReflectionInput) =>
    (await requireOwned(caller, input.assemblyId, (id) => context.assemblies.load(id), NO_ASSEMBLY)).row,
  decide: (input) => {
    const text = boundedText("A reflection", input.text, MAX_REFLECTION_LENGTH);
    return isRefusal(text) ? text : { kind: input.kind, text, mayQuote: input.mayQuote };
  },
  async apply({ tx, now }, reflection, assembly) {
    const row = await insertReflection(tx, assembly, reflection, now);
    if (!row) throw conflict(`An assembly holds at most ${MAX_REFLECTIONS} reflections.`);
    return row;
  },
});
