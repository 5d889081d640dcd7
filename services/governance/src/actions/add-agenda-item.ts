import { boundedText, conflict, defineAction, isRefusal, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { agendaSubmissionProblem, shadowAgendaClosesAt } from "../domain/agenda.js";
import { MAX_AGENDA_ITEM_LENGTH } from "../domain/limits.js";
import { insertAgendaItem, MAX_AGENDA_ITEMS } from "../store/assemblies.js";
import { blocOfCaller } from "./caller-bloc.js";
import { NO_ASSEMBLY } from "./not-found.js";

export interface AddAgendaItemInput {
  assemblyId: string;
  text: string;
}

/**
 * Adds an item to an assembly's agenda. A commons item is published at once. A shadow assembly takes
 * items from every member until its agenda closes and answers every one alike (SUBMITTED, never a
 * refusal by bloc: either would show the submitter's bloc to whoever watched them submit); only edge
 * members' items publish at the close. The bloc is asked of network (an HTTP call) inside the transaction.
 */
export const addAgendaItem = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: AddAgendaItemInput) {
    const { row, membership } = await requireOwned(
      caller,
      input.assemblyId,
      (id) => context.assemblies.load(id),
      NO_ASSEMBLY,
    );
    const publishes = row.kind === "COMMONS" || (await blocOfCaller(context, tx, membership)) === "EDGE";
    return { assembly: row, publishes };
  },
  decide: (input, { assembly, publishes }, now) => {
    const text = boundedText("An agenda item", input.text, MAX_AGENDA_ITEM_LENGTH);
    if (isRefusal(text)) return text;
    const problem =
      assembly.kind === "SHADOW" ? agendaSubmissionProblem(shadowAgendaClosesAt(assembly), now) : undefined;
    return problem ? { problem } : { text, publishes };
  },
  async apply({ tx, now }, item, { assembly }) {
    const row = await insertAgendaItem(tx, assembly, item, now);
    if (!row) throw conflict(`An assembly's agenda holds at most ${MAX_AGENDA_ITEMS} items.`);
    return { ...row, state: assembly.kind === "COMMONS" ? ("PUBLISHED" as const) : ("SUBMITTED" as const) };
  },
});
