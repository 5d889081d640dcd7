import { Arg, Ctx, ID, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { hashSecret, newApiKey, requireOwnedRow, requireRole, type ApiKeyScope, Disclose } from "@rhizome/kit";
import { randomBytes } from "node:crypto";
import { invitationExpiresAt } from "../domain/invitations.js";
import { findApiKey, insertApiKey, revokeApiKey } from "../store/api-keys.js";
import { findInvitation, insertInvitation, revokeInvitation } from "../store/invitations.js";
import type { NetworkContext } from "../context.js";
import { CurrentCaller } from "./current-caller.js";
import { CreateApiKeyInput, CreateInvitationInput } from "./inputs.js";
import { toApiKey, toInvitation } from "./mappers.js";
import { ApiKey, ApiKeyCreated, Invitation, InvitationCreated } from "./types.js";

const INVITATION_CODE_BYTES = 12;
const CODE_HINT_LENGTH = 4;
const API_KEY_PREFIX_LENGTH = 10;

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
    const organizer = requireRole(context.caller, input.circleId, "organizer");
    const code = randomBytes(INVITATION_CODE_BYTES).toString("base64url");
    const now = context.clock();
    const row = await insertInvitation(
      context.db,
      {
        circleId: input.circleId,
        codeHash: hashSecret(code),
        codeHint: code.slice(-CODE_HINT_LENGTH),
        maxUses: input.maxUses,
        expiresAt: invitationExpiresAt(now, input.expiresInHours),
        createdBy: organizer.memberId,
      },
      now,
    );
    return Object.assign(new InvitationCreated(), { invitation: toInvitation(row), code });
  }

  @Disclose("stewards")
  @Mutation(() => Invitation, { description: "Revokes an invitation so its code no longer works. Organizers only." })
  async revokeInvitation(@Arg("id", () => ID) id: string, @Ctx() context: NetworkContext): Promise<Invitation> {
    const { row } = requireOwnedRow(
      context.caller,
      await findInvitation(context.db, id),
      "No invitation with that id in your circles.",
      "organizer",
    );
    return toInvitation(await revokeInvitation(context.db, row.id, context.clock()));
  }

  @Disclose("stewards")
  @Mutation(() => ApiKeyCreated, {
    description: "Creates an API key for a third-party client. Organizers only. The key is shown once.",
  })
  async createApiKey(
    @Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() context: NetworkContext,
  ): Promise<ApiKeyCreated> {
    const organizer = requireRole(context.caller, input.circleId, "organizer");
    const key = newApiKey(context.config.TOKEN_SECRET);
    const row = await insertApiKey(
      context.db,
      {
        circleId: input.circleId,
        name: input.name.trim(),
        keyHash: hashSecret(key),
        keyPrefix: key.slice(0, API_KEY_PREFIX_LENGTH),
        scopes: [...new Set(input.scopes)] as ApiKeyScope[],
        createdBy: organizer.memberId,
      },
      context.clock(),
    );
    return Object.assign(new ApiKeyCreated(), { apiKey: toApiKey(row), key });
  }

  @Disclose("stewards")
  @Mutation(() => ApiKey, {
    description: "Revokes an API key; it stops working at once here and within 30 s everywhere. Organizers only.",
  })
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() context: NetworkContext): Promise<ApiKey> {
    const { row } = requireOwnedRow(
      context.caller,
      await findApiKey(context.db, id),
      "No API key with that id in your circles.",
      "organizer",
    );
    return toApiKey(await revokeApiKey(context.db, row.id, context.clock()));
  }
}
