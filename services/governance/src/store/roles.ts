import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { conflict, freezeWitnessedDraw, notFound } from "@rhizome/kit";
import { drawPool, holdersAfterDraw, roleDrawPurpose, type DrawRules } from "../domain/draws.js";
import { changedRows, type Queryable } from "./queryable.js";

export type RolePowerName = "OPEN_PROPOSALS" | "RECORD_MINUTES";

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

export function roleFromSql(raw: Record<string, unknown>): RoleRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    bodyId: raw.body_id as string,
    name: raw.name as string,
    powers: raw.powers as RolePowerName[],
    holderCount: raw.holder_count as number,
    hasBlocQuota: raw.has_bloc_quota as boolean,
    status: raw.status as RoleRow["status"],
    createdAt: raw.created_at as Date,
    compostedAt: (raw.composted_at as Date | null) ?? null,
    compostReasons: (raw.compost_reasons as string | null) ?? null,
  };
}

export interface NewRole {
  circleId: string;
  bodyId: string;
  name: string;
  powers: RolePowerName[];
  holderCount: number;
  hasBlocQuota: boolean;
}

export async function createRole(db: Queryable, role: NewRole, now: Date): Promise<RoleRow> {
  const rows: Array<Record<string, unknown>> = await db.query(
    `INSERT INTO roles (id, circle_id, body_id, name, powers, holder_count, has_bloc_quota, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', $8) ON CONFLICT (body_id, name) DO NOTHING RETURNING *`,
    [randomUUID(), role.circleId, role.bodyId, role.name, role.powers, role.holderCount, role.hasBlocQuota, now],
  );
  if (!rows[0]) throw conflict(`This body already has a role named "${role.name}".`);
  return roleFromSql(rows[0]);
}

export async function rolesByIds(db: Queryable, ids: readonly string[]): Promise<RoleRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM roles WHERE id = ANY($1::uuid[])`, [ids]);
  return raws.map(roleFromSql);
}

export async function rolesOfBodies(db: Queryable, bodyIds: readonly string[]): Promise<RoleRow[][]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM roles WHERE body_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [bodyIds],
  );
  const roles = raws.map(roleFromSql);
  return bodyIds.map((id) => roles.filter((r) => r.bodyId === id));
}

/** The composted roles of a circle, newest first: the archive. */
export async function compostArchive(
  db: Queryable,
  circleId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<RoleRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM roles WHERE circle_id = $1 AND status = 'COMPOSTED' AND ($2::timestamptz IS NULL OR (composted_at, id) < ($2, $3::uuid))
     ORDER BY composted_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(roleFromSql);
}

export async function holdersOf(db: Queryable, roleIds: readonly string[]): Promise<string[][]> {
  const rows: Array<{ role_id: string; member_id: string }> = await db.query(
    `SELECT role_id, member_id FROM role_holders WHERE role_id = ANY($1::uuid[]) ORDER BY member_id`,
    [roleIds],
  );
  return roleIds.map((id) => rows.filter((r) => r.role_id === id).map((r) => r.member_id));
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
  const [row]: Array<{ granted_by_role: boolean; is_holder: boolean; is_seated: boolean }> = await db.query(
    `SELECT
       EXISTS (SELECT 1 FROM roles r JOIN role_holders h ON h.role_id = r.id WHERE r.body_id = $1 AND r.status = 'ACTIVE' AND $3 = ANY(r.powers)) AS granted_by_role,
       EXISTS (SELECT 1 FROM roles r JOIN role_holders h ON h.role_id = r.id WHERE r.body_id = $1 AND r.status = 'ACTIVE' AND $3 = ANY(r.powers) AND h.member_id = $2) AS is_holder,
       EXISTS (SELECT 1 FROM seats s WHERE s.body_id = $1 AND s.member_id = $2) AS is_seated`,
    [bodyId, memberId, power],
  );
  return row.granted_by_role ? row.is_holder : row.is_seated;
}

/** Dissolves a role in public, with reasons; its holders lose its powers with the same commit. */
export async function compostRole(db: DataSource, roleId: string, reasons: string, now: Date): Promise<RoleRow> {
  return db.transaction(async (manager) => {
    const rows: Array<Record<string, unknown>> = changedRows(
      await manager.query(
        `UPDATE roles SET status = 'COMPOSTED', composted_at = $2, compost_reasons = $3 WHERE id = $1 AND status = 'ACTIVE' RETURNING *`,
        [roleId, now, reasons],
      ),
    );
    if (!rows[0]) throw conflict("This role was already composted.");
    await manager.query(`DELETE FROM role_holders WHERE role_id = $1`, [roleId]);
    return roleFromSql(rows[0]);
  });
}

// Rotation.

async function lockActiveRole(manager: Queryable, roleId: string): Promise<RoleRow | undefined> {
  const raws: Array<Record<string, unknown>> = await manager.query(`SELECT * FROM roles WHERE id = $1 FOR UPDATE`, [
    roleId,
  ]);
  const role = raws[0] ? roleFromSql(raws[0]) : undefined;
  return role?.status === "ACTIVE" ? role : undefined;
}

/** A role that witnesses may commit to: it exists and is active. */
export async function requireDrawableRole(db: Queryable, roleId: string): Promise<RoleRow> {
  const [role] = await rolesByIds(db, [roleId]);
  if (!role) throw notFound("No role with that id in your circles.");
  if (role.status !== "ACTIVE") throw conflict("This role was composted; it is no longer drawn.");
  return role;
}

/**
 * The new moon's rotation of every active role of a circle, once per role and cycle (the witnessed
 * draw of (role, cycle) is frozen once): the pool is the body's seated members, without last cycle's
 * holders while others are eligible; with at least three witnesses' commitments made during the
 * cycle, the first `holders` of the order take the role, otherwise the holders still seated keep it.
 * Returns how many roles were drawn or carried over by this run.
 */
export async function rotateRoles(
  db: DataSource,
  sealKey: Buffer,
  circleId: string,
  cycle: string,
  now: Date,
): Promise<number> {
  const roles: Array<{ id: string }> = await db.query(
    `SELECT id FROM roles WHERE circle_id = $1 AND status = 'ACTIVE' ORDER BY id`,
    [circleId],
  );
  let rotated = 0;
  for (const { id } of roles) {
    rotated += await db.transaction(async (manager) => {
      const role = await lockActiveRole(manager, id);
      if (!role) return 0;
      const seated: Array<{ member_id: string }> = await manager.query(
        `SELECT member_id FROM seats WHERE body_id = $1`,
        [role.bodyId],
      );
      const previous: Array<{ member_id: string }> = await manager.query(
        `SELECT member_id FROM role_holders WHERE role_id = $1`,
        [role.id],
      );
      const seatedIds = seated.map((s) => s.member_id);
      const currentHolders = previous.map((p) => p.member_id);
      const { pool, excluded } = drawPool(seatedIds, currentHolders, role.holderCount);
      const rules: DrawRules = {
        roleId: role.id,
        role: role.name,
        holders: role.holderCount,
        excludedAsPreviousHolders: excluded,
      };
      const outcome = await freezeWitnessedDraw(
        manager,
        sealKey,
        { circleId, purpose: roleDrawPurpose(role.id), cycle },
        pool,
        { ...rules },
        (order, status) => holdersAfterDraw(order, status, role.holderCount, currentHolders, seatedIds),
        now,
      );
      if (outcome.wasAlreadyFrozen) return 0;
      if (outcome.status === "DRAWN") {
        await manager.query(`DELETE FROM role_holders WHERE role_id = $1`, [role.id]);
        if (outcome.chosen.length > 0) {
          await manager.query(
            `INSERT INTO role_holders (role_id, circle_id, member_id, draw_id, since) SELECT $1, $2, unnest($3::uuid[]), $4, $5`,
            [role.id, role.circleId, outcome.chosen, outcome.drawId, now],
          );
        }
      } else {
        await manager.query(`DELETE FROM role_holders WHERE role_id = $1 AND NOT (member_id = ANY($2::uuid[]))`, [
          role.id,
          outcome.chosen,
        ]);
      }
      return 1;
    });
  }
  return rotated;
}
