import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { findApiKey, revokeApiKey as revoke } from "../store/api-keys.js";

/** An organizer revokes an API key: it stops working at once here and within 30 s everywhere. */
export const revokeApiKey = defineAction({
  authorize: ({ caller, tx }: ActionStep<NetworkContext>, input: { id: string }) =>
    requireOwned(caller, input.id, (id) => findApiKey(tx, id), "No API key with that id in your circles.", "organizer"),
  decide: (_input, { row }) => row.id,
  apply: ({ tx, now }, id) => revoke(tx, id, now),
});
