import type { ApiKeyRow } from "../store/api-keys.js";
import type { CircleRow } from "../store/circles.js";
import type { InvitationRow } from "../store/invitations.js";
import type { MemberRow } from "../store/members.js";
import { ApiKey, Circle, Invitation, Member, type ApiScope, type Role } from "./types.js";

export function toCircle(row: CircleRow): Circle {
  return Object.assign(new Circle(), { id: row.id, slug: row.slug, name: row.name, createdAt: row.createdAt });
}

export function toMember(row: MemberRow): Member {
  return Object.assign(new Member(), {
    id: row.id,
    handle: row.handle,
    roles: row.roles as Role[],
    joinedAt: row.joinedAt,
    circleId: row.circleId,
    personId: row.personId,
  });
}

export function toInvitation(row: InvitationRow): Invitation {
  return Object.assign(new Invitation(), {
    id: row.id,
    codeHint: row.codeHint,
    maxUses: row.maxUses,
    uses: row.uses,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  });
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return Object.assign(new ApiKey(), {
    id: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    scopes: row.scopes as ApiScope[],
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  });
}
