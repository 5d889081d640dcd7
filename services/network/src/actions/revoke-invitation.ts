import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { findInvitation, revokeInvitation as revoke } from "../store/invitations.js";

/** An organizer revokes an invitation so its code no longer works; revoking again keeps the first instant. */
export const revokeInvitation = defineAction({
  authorize: ({ caller, tx }: ActionStep<NetworkContext>, input: { id: string }) =>
    requireOwned(
      caller,
      input.id,
      (id) => findInvitation(tx, id),
      "No invitation with that id in your circles.",
      "organizer",
    ),
  decide: (_input, { row }) => row.id,
  apply: ({ tx, now }, id) => revoke(tx, id, now),
});
