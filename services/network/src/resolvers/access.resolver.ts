import { Arg, Ctx, ID, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { Disclose, type ApiKeyScope } from "@rhizome/kit";
import { createApiKey } from "../actions/create-api-key.js";
import { createInvitation } from "../actions/create-invitation.js";
import { revokeApiKey } from "../actions/revoke-api-key.js";
import { revokeInvitation } from "../actions/revoke-invitation.js";
import type { NetworkContext } from "../context.js";
import { CurrentCaller } from "./current-caller.js";
import { CreateApiKeyInput, CreateInvitationInput } from "./inputs.js";
import { toApiKey, toInvitation } from "./mappers.js";
import { ApiKey, ApiKeyCreated, Invitation, InvitationCreated } from "./types.js";

/** Invitations and API keys: the ways into a circle, both managed by its organizers. */
@Resolver()
@UseMiddleware(CurrentCaller)
export class AccessResolver {
  @Disclose("stewards")
  @Mutation(() => InvitationCreated, {
    description: "Creates an invitation code with an expiry and a use limit. Organizers only.",
  })
  async createInvitation(
    @Arg("input", () => CreateInvitationInput) input: CreateInvitationInput,
    @Ctx() context: NetworkContext,
  ): Promise<InvitationCreated> {
    const { invitation, code } = await createInvitation(context, { ...input });
    return Object.assign(new InvitationCreated(), { invitation: toInvitation(invitation), code });
  }

  @Disclose("stewards")
  @Mutation(() => Invitation, { description: "Revokes an invitation so its code no longer works. Organizers only." })
  async revokeInvitation(@Arg("id", () => ID) id: string, @Ctx() context: NetworkContext): Promise<Invitation> {
    return toInvitation(await revokeInvitation(context, { id }));
  }

  @Disclose("stewards")
  @Mutation(() => ApiKeyCreated, {
    description: "Creates an API key for a third-party client. Organizers only. The key is shown once.",
  })
  async createApiKey(
    @Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() context: NetworkContext,
  ): Promise<ApiKeyCreated> {
    const { apiKey, key } = await createApiKey(context, { ...input, scopes: input.scopes as ApiKeyScope[] });
    return Object.assign(new ApiKeyCreated(), { apiKey: toApiKey(apiKey), key });
  }

  @Disclose("stewards")
  @Mutation(() => ApiKey, {
    description: "Revokes an API key; it stops working at once here and within 30 s everywhere. Organizers only.",
  })
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() context: NetworkContext): Promise<ApiKey> {
    return toApiKey(await revokeApiKey(context, { id }));
  }
}
