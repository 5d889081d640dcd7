import { defineAction, forbidden, hasRole, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { compostReasons } from "../domain/roles.js";
import { seatKindOf } from "../store/bodies.js";
import { lockRole, markComposted } from "../store/roles.js";
import { NO_ROLE } from "./not-found.js";

export interface CompostRoleInput {
  roleId: string;
  reasons: string;
}

/** Dissolves a role in public, with reasons kept in the archive; its holders lose its powers with the same commit. */
export const compostRole = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: CompostRoleInput) {
    const { row, membership } = await requireOwned(caller, input.roleId, (id) => context.roles.load(id), NO_ROLE);
    const isSeated = (await seatKindOf(tx, row.bodyId, membership.memberId)) !== undefined;
    if (!isSeated && !hasRole(caller, row.circleId, "organizer"))
      throw forbidden("Only members seated in the role's body, or organizers, can do this.");
    return (await lockRole(tx, row.id)) ?? row;
  },
  decide: (input, role) => compostReasons(role, input.reasons),
  async apply({ tx, now }, reasons, role) {
    const composted = await markComposted(tx, role.id, reasons, now);
    if (!composted) throw new Error("invariant: a role active under its lock was not composted");
    return composted;
  },
});
