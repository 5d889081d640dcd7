import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { contactSharing } from "../domain/responders.js";
import { shareContactWith } from "../store/responders.js";
import { webhookOfCircle } from "../store/webhooks.js";
import { requireResponder } from "./access.js";

export interface ShareContactInput {
  circleId: string;
  url: string | null;
}

/** A responder agrees that the circle's webhook, at exactly this URL, may receive their contact (null withdraws). */
export const shareContactWithWebhook = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, input: ShareContactInput) => {
    const { responder } = await requireResponder(
      context,
      input.circleId,
      "share a contact with the circle's webhook",
      tx,
    );
    const webhook = input.url === null ? undefined : await webhookOfCircle(tx, input.circleId);
    return { responder, webhookUrl: webhook?.url };
  },
  decide: (input: ShareContactInput, { responder, webhookUrl }) =>
    contactSharing(input.url, { hasContact: responder.contactSealed !== null }, webhookUrl),
  apply: ({ tx }, { url }, { responder }) => shareContactWith(tx, responder.id, url),
});
