import {
  commitWitnessSeed,
  cycleContaining,
  defineAction,
  drawSealKey,
  isRefusal,
  requireOwned,
  witnessedDrawsByIds,
  type ActionStep,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { roleDrawPurpose } from "../domain/draws.js";
import { drawableRole } from "../domain/roles.js";
import { NO_ROLE } from "./not-found.js";

export interface CommitRoleDrawSeedInput {
  roleId: string;
  seed: string;
}

/**
 * A member of the role's circle commits as a witness of its next new-moon draw (one commitment per
 * witness and draw, never changed). The kit's witness functions own their transaction (they seal the
 * seed and lock the draw), so the commitment is written through the data source, not this action's
 * transaction.
 */
export const commitRoleDrawSeed = defineAction({
  authorize: ({ context, caller }: ActionStep<GovernanceContext>, input: CommitRoleDrawSeedInput) =>
    requireOwned(caller, input.roleId, (id) => context.roles.load(id), NO_ROLE),
  decide: (input, { row }) => {
    const role = drawableRole(row);
    return isRefusal(role) ? role : { role, seed: input.seed };
  },
  async apply({ context, tx, now }, { role, seed }, { membership }) {
    const drawId = await commitWitnessSeed(
      context.db,
      drawSealKey(context.config.TOKEN_SECRET),
      {
        circleId: role.circleId,
        purpose: roleDrawPurpose(role.id),
        cycle: cycleContaining(now).label,
        memberId: membership.memberId,
        seed,
      },
      now,
    );
    return (await witnessedDrawsByIds(tx, [drawId]))[0];
  },
});
