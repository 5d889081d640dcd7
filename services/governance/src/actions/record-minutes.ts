import { defineAction, forbidden, notFound, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { checkedMinutes } from "../domain/assemblies.js";
import { updateMinutes } from "../store/assemblies.js";
import { NO_ASSEMBLY } from "./not-found.js";

export interface RecordMinutesInput {
  assemblyId: string;
  minutes: string;
}

/**
 * Records an assembly's minutes: a commons assembly's by any member, a shadow assembly's by the member
 * who called it or an organizer (never by bloc, so recording tells nobody the recorder's).
 */
export const recordMinutes = defineAction({
  async authorize({ context, caller }: ActionStep<GovernanceContext>, input: RecordMinutesInput) {
    const { row, membership } = await requireOwned(
      caller,
      input.assemblyId,
      (id) => context.assemblies.load(id),
      NO_ASSEMBLY,
    );
    if (row.kind === "SHADOW" && row.calledBy !== membership.memberId && !membership.roles.includes("organizer"))
      throw forbidden("Only the member who called a shadow assembly, or an organizer, records its minutes.");
    return row;
  },
  decide: (input) => checkedMinutes(input.minutes),
  async apply({ tx }, minutes, assembly) {
    const row = await updateMinutes(tx, assembly.id, minutes);
    if (!row) throw notFound(NO_ASSEMBLY);
    return row;
  },
});
