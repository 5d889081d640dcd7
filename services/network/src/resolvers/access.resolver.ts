import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { hashSecret, isMemberOf, newSecret, notFound, requireRole, isUuid } from "@rhizome/kit";
import { randomBytes } from "node:crypto";
import { ApiKeyRow } from "../entities/api-key.js";
import { InvitationRow } from "../entities/invitation.js";
import type { NetworkContext } from "../context.js";
import { CreateApiKeyInput, CreateInvitationInput } from "./inputs.js";
import { toApiKey, toInvitation } from "./mappers.js";
import { ApiKey, ApiKeyCreated, Invitation, InvitationCreated } from "./types.js";

const INVITATION_CODE_BYTES = 12;
const CODE_HINT_LENGTH = 4;
const API_KEY_PREFIX_LENGTH = 10;
const HOUR_MS = 3_600_000;

/** Invitations and API keys: the ways into a circle, both managed by its organizers. */
@Resolver()
export class AccessResolver {
  @Mutation(() => InvitationCreated, { description: "Creates an invitation code with an expiry and a use limit. Organizers only." })
  async createInvitation(@Arg("input", () => CreateInvitationInput) input: CreateInvitationInput, @Ctx() context: NetworkContext): Promise<InvitationCreated> {
    const organizer = requireRole(context.caller, input.circleId, "organizer");
    const code = randomBytes(INVITATION_CODE_BYTES).toString("base64url");
    const row = await context.db.getRepository(InvitationRow).save(
      context.db.getRepository(InvitationRow).create({
        circleId: input.circleId,
        codeHash: hashSecret(code),
        codeHint: code.slice(-CODE_HINT_LENGTH),
        maxUses: input.maxUses,
        uses: 0,
        expiresAt: new Date(Date.now() + input.expiresInHours * HOUR_MS),
        createdBy: organizer.memberId,
      }),
    );
    const saved = await context.db.getRepository(InvitationRow).findOneByOrFail({ id: row.id });
    return Object.assign(new InvitationCreated(), { invitation: toInvitation(saved), code });
  }

  @Mutation(() => Invitation, { description: "Revokes an invitation so its code no longer works. Organizers only." })
  async revokeInvitation(@Arg("id", () => ID) id: string, @Ctx() context: NetworkContext): Promise<Invitation> {
    const row = isUuid(id) ? await context.db.getRepository(InvitationRow).findOneBy({ id }) : null;
    if (!row || !isMemberOf(context.caller, row.circleId)) {
      throw notFound("No invitation with that id in your circles.");
    }
    requireRole(context.caller, row.circleId, "organizer");
    row.revokedAt ??= new Date();
    return toInvitation(await context.db.getRepository(InvitationRow).save(row));
  }

  @Mutation(() => ApiKeyCreated, { description: "Creates an API key for a third-party client. Organizers only. The key is shown once." })
  async createApiKey(@Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() context: NetworkContext): Promise<ApiKeyCreated> {
    const organizer = requireRole(context.caller, input.circleId, "organizer");
    const key = newSecret("rhz");
    const repository = context.db.getRepository(ApiKeyRow);
    const row = await repository.save(
      repository.create({
        circleId: input.circleId,
        name: input.name.trim(),
        keyHash: hashSecret(key),
        keyPrefix: key.slice(0, API_KEY_PREFIX_LENGTH),
        scopes: [...new Set(input.scopes)],
        createdBy: organizer.memberId,
      }),
    );
    const saved = await repository.findOneByOrFail({ id: row.id });
    return Object.assign(new ApiKeyCreated(), { apiKey: toApiKey(saved), key });
  }

  @Mutation(() => ApiKey, { description: "Revokes an API key; it stops working at once here and within 30 s everywhere. Organizers only." })
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() context: NetworkContext): Promise<ApiKey> {
    const repository = context.db.getRepository(ApiKeyRow);
    const row = isUuid(id) ? await repository.findOneBy({ id }) : null;
    if (!row || !isMemberOf(context.caller, row.circleId)) {
      throw notFound("No API key with that id in your circles.");
    }
    requireRole(context.caller, row.circleId, "organizer");
    row.revokedAt ??= new Date();
    return toApiKey(await repository.save(row));
  }
}
