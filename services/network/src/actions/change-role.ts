import {
  defineAction,
  forbidden,
  notFound,
  requireOwned,
  type ActionStep,
  type CircleRole,
  type Verdict,
} from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { roleChangeProblem, rolesAfter, type RoleChange } from "../domain/organizers.js";
import { lockCircle } from "../store/circles.js";
import { countOthers, findPresentMember, lockPresentMember, presentRolesOf, setRoles } from "../store/members.js";
import { recordAccess } from "./sessions.js";

const NO_SUCH_MEMBER = "No member with that id in your circles.";

/**
 * Gives or takes a role (grantRole and revokeRole: one use case, two directions). The circle is
 * locked first, then the organizer acting is checked again and the other organizers are counted, so
 * two organizers taking the role from each other at once leave one of them organizer, never none.
 */
export const changeRole = defineAction({
  authorize: async ({ caller, tx }: ActionStep<NetworkContext>, input: { memberId: string; change: RoleChange }) => {
    const { row, membership } = await requireOwned(
      caller,
      input.memberId,
      (id) => findPresentMember(tx, id),
      NO_SUCH_MEMBER,
      "organizer",
    );
    if (!(await lockCircle(tx, row.circleId, "exclusive"))) throw notFound(NO_SUCH_MEMBER);
    const actorRoles = await presentRolesOf(tx, membership.memberId, row.circleId);
    if (!actorRoles?.includes("organizer")) throw forbidden("Only a circle's organizers can do this.");
    const target = await lockPresentMember(tx, row.id, row.circleId);
    if (!target) throw notFound(NO_SUCH_MEMBER);
    return { target, otherOrganizers: (await countOthers(tx, row.circleId, row.id)).otherOrganizers };
  },
  decide: (input, { target, otherOrganizers }): Verdict<CircleRole[]> => {
    const roles = rolesAfter(target.roles, input.change);
    const problem = roleChangeProblem(roles, otherOrganizers);
    return problem ? { problem } : roles;
  },
  apply: async ({ context, tx }, roles, { target }) => {
    const changed = await setRoles(tx, target.id, roles);
    await recordAccess(context, { memberId: target.id, roles });
    return changed;
  },
});
