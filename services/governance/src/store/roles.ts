import { randomUUID } from "node:crypto";
import { changedCount, sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirst, rowsByIds } from "./pages.js";

export type RolePowerName = "OPEN_PROPOSALS" | "RECORD_MINUTES";

/** A row of `roles`. */
export interface RoleRow {
  id: string;
  circleId: string;
  bodyId: string;
  name: string;
  powers: RolePowerName[];
  holderCount: number;
  hasBlocQuota: boolean;
  status: "ACTIVE" | "COMPOSTED";
  createdAt: Date;
  compostedAt: Date | null;
  compostReasons: string | null;
}

/** A role to create: its row's fields but those the store sets (its powers may be a read-only list). */
export type NewRole = Omit<RoleRow, "id" | "powers" | "status" | "createdAt" | "compostedAt" | "compostReasons"> & {
  powers: readonly RolePowerName[];
};

/** The new role, or undefined when the body already has a role of that name. */
export async function insertRole(tx: Queryable, role: NewRole, now: Date): Promise<RoleRow | undefined> {
  return sqlRow<RoleRow>(
    tx,
    `INSERT INTO roles (id, circle_id, body_id, name, powers, holder_count, has_bloc_quota, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', $8) ON CONFLICT (body_id, name) DO NOTHING RETURNING *`,
    [randomUUID(), role.circleId, role.bodyId, role.name, role.powers, role.holderCount, role.hasBlocQuota, now],
  );
}

export async function rolesByIds(db: Queryable, ids: readonly string[]): Promise<RoleRow[]> {
  return rowsByIds<RoleRow>(db, "roles", ids);
}

export async function rolesOfBodies(db: Queryable, bodyIds: readonly string[]): Promise<RoleRow[][]> {
  const roles = await sqlRows<RoleRow>(
    db,
    `SELECT * FROM roles WHERE body_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [bodyIds],
  );
  return bodyIds.map((id) => roles.filter((r) => r.bodyId === id));
}

/** The composted roles of a circle, newest first: the archive. */
export async function compostArchive(
  db: Queryable,
  circleId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<RoleRow[]> {
  return newestFirst<RoleRow>(db, "roles", "composted_at", { circle_id: circleId, status: "COMPOSTED" }, after, limit);
}

export async function holdersOf(db: Queryable, roleIds: readonly string[]): Promise<string[][]> {
  const rows = await sqlRows<{ roleId: string; memberId: string }>(
    db,
    `SELECT role_id, member_id FROM role_holders WHERE role_id = ANY($1::uuid[]) ORDER BY member_id`,
    [roleIds],
  );
  return roleIds.map((id) => rows.filter((r) => r.roleId === id).map((r) => r.memberId));
}

/**
 * Whether a member may exercise a power in a body, read from the tables on every request so a drawn,
 * rotated or composted role changes it at once: while an active role of the body that has holders
 * grants the power, only its holders have it; otherwise (no such role, or one not drawn yet) every
 * member seated in the body does.
 */
export async function holdsPower(
  db: Queryable,
  bodyId: string,
  memberId: string,
  power: RolePowerName,
): Promise<boolean> {
  const row = await sqlRow<{ grantedByRole: boolean; isHolder: boolean; isSeated: boolean }>(
    db,
    `SELECT
       EXISTS (SELECT 1 FROM roles r JOIN role_holders h ON h.role_id = r.id WHERE r.body_id = $1 AND r.status = 'ACTIVE' AND $3 = ANY(r.powers)) AS granted_by_role,
       EXISTS (SELECT 1 FROM roles r JOIN role_holders h ON h.role_id = r.id WHERE r.body_id = $1 AND r.status = 'ACTIVE' AND $3 = ANY(r.powers) AND h.member_id = $2) AS is_holder,
       EXISTS (SELECT 1 FROM seats s WHERE s.body_id = $1 AND s.member_id = $2) AS is_seated`,
    [bodyId, memberId, power],
  );
  return row?.grantedByRole ? row.isHolder : (row?.isSeated ?? false);
}

/** Locks a role's row; undefined when absent. */
export async function lockRole(tx: Queryable, roleId: string): Promise<RoleRow | undefined> {
  return sqlRow<RoleRow>(tx, `SELECT * FROM roles WHERE id = $1 FOR UPDATE`, [roleId]);
}

/** Dissolves an active role in public, with reasons, and removes its holders; undefined when it was not active. */
export async function markComposted(
  tx: Queryable,
  roleId: string,
  reasons: string,
  now: Date,
): Promise<RoleRow | undefined> {
  const row = await sqlRow<RoleRow>(
    tx,
    `UPDATE roles SET status = 'COMPOSTED', composted_at = $2, compost_reasons = $3 WHERE id = $1 AND status = 'ACTIVE' RETURNING *`,
    [roleId, now, reasons],
  );
  if (row) await tx.query(`DELETE FROM role_holders WHERE role_id = $1`, [roleId]);
  return row;
}

// Rotation.

/** The ids of a circle's active roles, in id order. */
export async function activeRoleIds(db: Queryable, circleId: string): Promise<string[]> {
  const rows = await sqlRows<{ id: string }>(
    db,
    `SELECT id FROM roles WHERE circle_id = $1 AND status = 'ACTIVE' ORDER BY id`,
    [circleId],
  );
  return rows.map((r) => r.id);
}

/** Who sits in the body and who holds the role now, for a role's draw. */
export async function drawCandidates(
  tx: Queryable,
  role: { id: string; bodyId: string },
): Promise<{ seated: string[]; holders: string[] }> {
  const seated = await sqlRows<{ memberId: string }>(tx, `SELECT member_id FROM seats WHERE body_id = $1`, [
    role.bodyId,
  ]);
  const holders = await sqlRows<{ memberId: string }>(tx, `SELECT member_id FROM role_holders WHERE role_id = $1`, [
    role.id,
  ]);
  return { seated: seated.map((s) => s.memberId), holders: holders.map((h) => h.memberId) };
}

/** The role's holders become exactly these, drawn by that draw. */
export async function replaceHolders(
  tx: Queryable,
  role: { id: string; circleId: string },
  holders: readonly string[],
  drawId: string,
  now: Date,
): Promise<void> {
  await tx.query(`DELETE FROM role_holders WHERE role_id = $1`, [role.id]);
  if (holders.length === 0) return;
  await tx.query(
    `INSERT INTO role_holders (role_id, circle_id, member_id, draw_id, since) SELECT $1, $2, unnest($3::uuid[]), $4, $5`,
    [role.id, role.circleId, holders, drawId, now],
  );
}

/** Only these of the role's holders keep it (a carried-over draw); answers how many left. */
export async function keepOnlyHolders(tx: Queryable, roleId: string, keep: readonly string[]): Promise<number> {
  return changedCount(tx, `DELETE FROM role_holders WHERE role_id = $1 AND NOT (member_id = ANY($2::uuid[]))`, [
    roleId,
    keep,
  ]);
}
