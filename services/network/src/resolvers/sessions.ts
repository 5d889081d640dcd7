import { signPersonToken, type Membership } from "@rhizome/kit";
import type { EntityManager } from "typeorm";
import { MemberRow } from "../entities/member.js";
import type { NetworkContext } from "../context.js";

export async function membershipsOf(manager: EntityManager, personId: string): Promise<Membership[]> {
  const rows = await manager.getRepository(MemberRow).find({ where: { personId }, order: { joinedAt: "ASC" } });
  return rows.map((row) => ({ circleId: row.circleId, memberId: row.id, roles: row.roles }));
}

/** A token naming every membership of the person, so each subgraph can authorize on its own. */
export async function issueToken(context: NetworkContext, manager: EntityManager, personId: string) {
  const memberships = await membershipsOf(manager, personId);
  return signPersonToken(context.config.TOKEN_SECRET, personId, memberships, context.config.TOKEN_TTL_SECONDS);
}
