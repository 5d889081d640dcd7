import { defineAction, hashSecret, newApiKey, requireRole, type ActionStep, type ApiKeyScope } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { insertApiKey, type ApiKeyRow } from "../store/api-keys.js";

const API_KEY_PREFIX_LENGTH = 10;

export interface CreateApiKeyInput {
  circleId: string;
  name: string;
  scopes: ApiKeyScope[];
}

/** An organizer's API key for a third-party client; only its hash is stored, and the key is shown once. */
export const createApiKey = defineAction({
  authorize: ({ caller }: ActionStep<NetworkContext>, input: CreateApiKeyInput) =>
    requireRole(caller, input.circleId, "organizer"),
  decide: (input, organizer) => ({
    circleId: input.circleId,
    name: input.name.trim(),
    scopes: [...new Set(input.scopes)],
    createdBy: organizer.memberId,
  }),
  apply: async ({ context, tx, now }, apiKey): Promise<{ apiKey: ApiKeyRow; key: string }> => {
    const key = newApiKey(context.config.TOKEN_SECRET);
    const secret = { keyHash: hashSecret(key), keyPrefix: key.slice(0, API_KEY_PREFIX_LENGTH) };
    return { apiKey: await insertApiKey(tx, { ...apiKey, ...secret }, now), key };
  },
});
