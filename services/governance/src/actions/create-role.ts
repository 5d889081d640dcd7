import { conflict, defineAction, isRefusal, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { checkedRole, type RoleShape } from "../domain/roles.js";
import { insertRole, type RolePowerName } from "../store/roles.js";
import { NO_BODY } from "./not-found.js";

export interface CreateRoleInput extends RoleShape<RolePowerName> {
  bodyId: string;
}

/** An organizer creates a role of a body (e.g. a facilitator who opens proposal rounds), filled by draws. */
export const createRole = defineAction({
  authorize: async ({ context, caller }: ActionStep<GovernanceContext>, input: CreateRoleInput) =>
    (await requireOwned(caller, input.bodyId, (id) => context.bodies.load(id), NO_BODY, "organizer")).row,
  decide: (input, body) => {
    const role = checkedRole(input);
    return isRefusal(role) ? role : { ...role, circleId: body.circleId, bodyId: body.id };
  },
  apply: async ({ tx, now }, role) => {
    const row = await insertRole(tx, role, now);
    if (!row) throw conflict(`This body already has a role named "${role.name}".`);
    return row;
  },
});
