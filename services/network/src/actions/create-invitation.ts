import { randomBytes } from "node:crypto";
import { defineAction, hashSecret, requireRole, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { invitationExpiresAt } from "../domain/invitations.js";
import { insertInvitation, type InvitationRow } from "../store/invitations.js";

const INVITATION_CODE_BYTES = 12;
const CODE_HINT_LENGTH = 4;

export interface CreateInvitationInput {
  circleId: string;
  maxUses: number;
  expiresInHours: number;
}

/** An organizer's invitation code, with an expiry and a use limit; only its hash is stored, and the code is shown once. */
export const createInvitation = defineAction({
  authorize: ({ caller }: ActionStep<NetworkContext>, input: CreateInvitationInput) =>
    requireRole(caller, input.circleId, "organizer"),
  decide: (input, organizer, now) => ({
    circleId: input.circleId,
    maxUses: input.maxUses,
    expiresAt: invitationExpiresAt(now, input.expiresInHours),
    createdBy: organizer.memberId,
  }),
  apply: async ({ tx, now }, invitation): Promise<{ invitation: InvitationRow; code: string }> => {
    const code = randomBytes(INVITATION_CODE_BYTES).toString("base64url");
    const secret = { codeHash: hashSecret(code), codeHint: code.slice(-CODE_HINT_LENGTH) };
    return { invitation: await insertInvitation(tx, { ...invitation, ...secret }, now), code };
  },
});
