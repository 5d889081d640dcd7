import { accepted, defineAction, requireRole, type ActionStep, type Verdict } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { webhookUrlProblem } from "../domain/alerts.js";
import { webhookHostProblem } from "../jobs/webhook-http.js";
import { setWebhook } from "../store/webhooks.js";

export interface SetDefenseWebhookInput {
  circleId: string;
  url: string;
}

/** An organizer sets where the circle's calls and broadcasts are POSTed; the signing secret is returned once. */
export const setDefenseWebhook = defineAction({
  authorize: ({ caller, context }: ActionStep<DefenseContext>, input: SetDefenseWebhookInput) => {
    requireRole(caller, input.circleId, "organizer");
    return { isProduction: context.config.NODE_ENV === "production" };
  },
  decide: (input: SetDefenseWebhookInput, { isProduction }): Verdict<SetDefenseWebhookInput> => {
    const problem = webhookUrlProblem(input.url, isProduction);
    return problem ? { problem } : input;
  },
  apply: async ({ tx, now, context }, input) => {
    // The host's addresses are looked up in DNS (the outside world, not the transaction): a URL that
    // resolves to a private address is refused before anything is written.
    const hostProblem = await webhookHostProblem(input.url, context.config.DEFENSE_WEBHOOK_ALLOW_LOOPBACK);
    accepted(hostProblem ? { problem: hostProblem } : input);
    return setWebhook(tx, context.vault, input.circleId, input.url, now);
  },
});
