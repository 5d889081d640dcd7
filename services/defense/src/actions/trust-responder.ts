import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { selfTrust } from "../domain/responders.js";
import { respondersByIds, setTrusted } from "../store/responders.js";
import { returnedRow } from "../store/returned.js";

const NO_RESPONDER = "No responder with that id in your circles.";

export interface TrustResponderInput {
  responderId: string;
  isTrusted: boolean;
}

/** An organizer makes a responder trusted (they verify alerts), or not; never themself. */
export const trustResponder = defineAction({
  authorize: ({ caller, tx }: ActionStep<DefenseContext>, input: TrustResponderInput) =>
    requireOwned(
      caller,
      input.responderId,
      async (id) => (await respondersByIds(tx, [id]))[0],
      NO_RESPONDER,
      "organizer",
    ),
  decide: (input: TrustResponderInput, { row, membership }) => selfTrust(row, membership, input),
  apply: async ({ tx }, input, { row }) =>
    returnedRow(await setTrusted(tx, row.id, input.isTrusted), "UPDATE responders"),
});
