import { randomBytes } from "node:crypto";
import { defineAction, emitEvent, forbidden, requireMembership, type ActionStep, type Verdict } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { tombstoneHandle } from "../domain/names.js";
import { leavingProblem } from "../domain/organizers.js";
import { eraseBlocChanges } from "../store/bloc-changes.js";
import { lockCircle } from "../store/circles.js";
import { countOthers, lockPresentMember, markLeft } from "../store/members.js";
import { revokeMemberRefreshTokens } from "../store/refresh-tokens.js";
import { recordAccess } from "./sessions.js";

const ONLY_MEMBERS = "Only members of this circle can do this.";
/** A random tombstone, never derived from the member's id or handle. */
const TOMBSTONE_BYTES = 8;

/**
 * The member leaves: their row keeps only a random tombstone handle (so the circle's history cannot
 * be linked to them), loses person, passphrase, bloc (and every change of it) and roles, and their
 * sessions end; `member.left` is recorded in the same transaction. The circle is locked before the
 * organizers are counted, so the last organizer cannot leave while another revokes their own role.
 */
export const leaveCircle = defineAction({
  authorize: async ({ caller, tx }: ActionStep<NetworkContext>, input: { circleId: string }) => {
    const { memberId } = requireMembership(caller, input.circleId);
    if (!(await lockCircle(tx, input.circleId, "exclusive"))) throw forbidden(ONLY_MEMBERS);
    const leaver = await lockPresentMember(tx, memberId, input.circleId);
    if (!leaver) throw forbidden(ONLY_MEMBERS);
    return { leaver, circle: await countOthers(tx, input.circleId, memberId) };
  },
  decide: (input, { leaver, circle }): Verdict<{ circleId: string; memberId: string }> => {
    const problem = leavingProblem(leaver, circle);
    return problem ? { problem } : { circleId: input.circleId, memberId: leaver.id };
  },
  apply: async ({ context, tx, now }, { circleId, memberId }) => {
    await markLeft(tx, memberId, tombstoneHandle(randomBytes(TOMBSTONE_BYTES).toString("hex")), now);
    await eraseBlocChanges(tx, memberId);
    await revokeMemberRefreshTokens(tx, memberId, now);
    await emitEvent(tx, "member.left", { circleId, memberId }, now);
    await recordAccess(context, { memberId, hasLeft: true });
    return true;
  },
  emitsEvents: true,
});
