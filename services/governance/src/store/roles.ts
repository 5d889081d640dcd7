import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { conflict, notFound } from "@rhizome/kit";
import type { SeatKind } from "../domain/composition.js";
import { drawCommitment, drawOrder, drawPool, rotationSeed, selectHolders, type DrawRules } from "../domain/draws.js";
import { logHead } from "./decision-log.js";
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
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM roles WHERE body_id = ANY($1::uuid[]) ORDER BY created_at, id`, [bodyIds]);
  const roles = raws.map(roleFromSql);
  return bodyIds.map((id) => roles.filter((r) => r.bodyId === id));
}

/** The composted roles of a circle, newest first: the archive. */
export async function compostArchive(db: Queryable, circleId: string, after: { at: Date; id: string } | undefined, limit: number): Promise<RoleRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM roles WHERE circle_id = $1 AND status = 'COMPOSTED' AND ($2::timestamptz IS NULL OR (composted_at, id) < ($2, $3::uuid))
     ORDER BY composted_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(roleFromSql);
}

export async function holdersOf(db: Queryable, roleIds: readonly string[]): Promise<string[][]> {
  const rows: Array<{ role_id: string; member_id: string }> = await db.query(`SELECT role_id, member_id FROM role_holders WHERE role_id = ANY($1::uuid[]) ORDER BY member_id`, [roleIds]);
  return roleIds.map((id) => rows.filter((r) => r.role_id === id).map((r) => r.member_id));
}

/**
 * Whether a member may exercise a power in a body, read from the tables on every request so a drawn,
 * rotated or composted role changes it at once: while an active role of the body grants the power,
 * only its holders have it; otherwise every member seated in the body does.
 */
export async function holdsPower(db: Queryable, bodyId: string, memberId: string, power: RolePowerName): Promise<boolean> {
  const [row]: Array<{ granted_by_role: boolean; is_holder: boolean; is_seated: boolean }> = await db.query(
    `SELECT
       EXISTS (SELECT 1 FROM roles r WHERE r.body_id = $1 AND r.status = 'ACTIVE' AND $3 = ANY(r.powers)) AS granted_by_role,
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
      await manager.query(`UPDATE roles SET status = 'COMPOSTED', composted_at = $2, compost_reasons = $3 WHERE id = $1 AND status = 'ACTIVE' RETURNING *`, [roleId, now, reasons]),
    );
    if (!rows[0]) throw conflict("This role was already composted.");
    await manager.query(`DELETE FROM role_holders WHERE role_id = $1`, [roleId]);
    return roleFromSql(rows[0]);
  });
}

// Draws.

export interface DrawRow {
  id: string;
  circleId: string;
  roleId: string;
  cycle: string | null;
  pool: string[];
  rules: DrawRules;
  commitment: string;
  seedsRequired: number;
  seeds: string[];
  status: "OPEN" | "CLOSED";
  drawSeed: string | null;
  drawnOrder: string[] | null;
  openedAt: Date;
  closedAt: Date | null;
}

function drawFromSql(raw: Record<string, unknown>, seeds: string[]): DrawRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    roleId: raw.role_id as string,
    cycle: (raw.cycle as string | null) ?? null,
    pool: raw.pool as string[],
    rules: raw.rules as DrawRules,
    commitment: raw.commitment as string,
    seedsRequired: raw.seeds_required as number,
    seeds,
    status: raw.status as DrawRow["status"],
    drawSeed: (raw.draw_seed as string | null) ?? null,
    drawnOrder: (raw.drawn_order as string[] | null) ?? null,
    openedAt: raw.opened_at as Date,
    closedAt: (raw.closed_at as Date | null) ?? null,
  };
}

export async function drawsByIds(db: Queryable, ids: readonly string[]): Promise<DrawRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM draws WHERE id = ANY($1::uuid[])`, [ids]);
  const seeds: Array<{ draw_id: string; seed: string }> = await db.query(`SELECT draw_id, seed FROM draw_seeds WHERE draw_id = ANY($1::uuid[]) ORDER BY draw_id, position`, [ids]);
  return raws.map((raw) => drawFromSql(raw, seeds.filter((s) => s.draw_id === raw.id).map((s) => s.seed)));
}

async function lockActiveRole(manager: Queryable, roleId: string): Promise<RoleRow> {
  const raws: Array<Record<string, unknown>> = await manager.query(`SELECT * FROM roles WHERE id = $1 FOR UPDATE`, [roleId]);
  if (!raws[0]) throw notFound("No role with that id in your circles.");
  const role = roleFromSql(raws[0]);
  if (role.status !== "ACTIVE") throw conflict("This role was composted; it is no longer drawn.");
  return role;
}

/** Opens a draw: commits to the pool (the body's seated members) and the rules before any seed is known. */
async function openDraw(manager: Queryable, role: RoleRow, seedsRequired: number, cycle: string | null, now: Date): Promise<{ id: string; pool: string[]; rules: DrawRules }> {
  const seated: Array<{ member_id: string }> = await manager.query(`SELECT member_id FROM seats WHERE body_id = $1`, [role.bodyId]);
  const previous: Array<{ member_id: string }> = await manager.query(`SELECT member_id FROM role_holders WHERE role_id = $1`, [role.id]);
  const { pool, excluded } = drawPool(seated.map((s) => s.member_id), previous.map((p) => p.member_id), role.holderCount);
  const rules: DrawRules = { roleId: role.id, role: role.name, holders: role.holderCount, excludedAsPreviousHolders: excluded, hasBlocQuota: role.hasBlocQuota, seedsRequired };
  const id = randomUUID();
  await manager.query(
    `INSERT INTO draws (id, circle_id, role_id, cycle, pool, rules, commitment, seeds_required, status, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'OPEN', $9)`,
    [id, role.circleId, role.id, cycle, JSON.stringify(pool), JSON.stringify(rules), drawCommitment({ pool, rules }), seedsRequired, now],
  );
  return { id, pool, rules };
}

/** Opens a draw for a role; witnesses then contribute its seeds. At most one open draw per role. */
export async function openRoleDraw(db: DataSource, roleId: string, seedsRequired: number, now: Date): Promise<string> {
  return db.transaction(async (manager) => {
    const role = await lockActiveRole(manager, roleId);
    const open: unknown[] = await manager.query(`SELECT 1 FROM draws WHERE role_id = $1 AND status = 'OPEN'`, [roleId]);
    if (open.length > 0) throw conflict("This role already has an open draw: contribute seeds to it.");
    const { id, pool } = await openDraw(manager, role, seedsRequired, null, now);
    if (pool.length === 0) throw conflict("Nobody is seated in the role's body, so there is nobody to draw.");
    return id;
  });
}

/** Closes a draw with its seeds: computes the order, and seats the new holders in the same commit. */
async function closeDraw(manager: Queryable, role: RoleRow, drawId: string, pool: string[], rules: DrawRules, seeds: string[], now: Date): Promise<void> {
  const { seed, order } = drawOrder({ pool, rules }, seeds);
  const kinds: Array<{ member_id: string; kind: SeatKind }> = await manager.query(`SELECT member_id, kind FROM seats WHERE body_id = $1`, [role.bodyId]);
  const kindOf = new Map(kinds.map((k) => [k.member_id, k.kind]));
  const holders = selectHolders(order, role.holderCount, role.hasBlocQuota, (id) => kindOf.get(id));
  await manager.query(`UPDATE draws SET status = 'CLOSED', draw_seed = $2, drawn_order = $3, closed_at = $4 WHERE id = $1`, [drawId, seed, JSON.stringify(order), now]);
  await manager.query(`DELETE FROM role_holders WHERE role_id = $1`, [role.id]);
  if (holders.length > 0) {
    await manager.query(
      `INSERT INTO role_holders (role_id, circle_id, member_id, draw_id, since) SELECT $1, $2, unnest($3::uuid[]), $4, $5`,
      [role.id, role.circleId, holders, drawId, now],
    );
  }
}

/** Adds a witness's seed; the seed that completes the draw closes it. Seeds are final once given. */
export async function contributeSeed(db: DataSource, drawId: string, seed: string, now: Date): Promise<void> {
  await db.transaction(async (manager) => {
    const raws: Array<Record<string, unknown>> = await manager.query(`SELECT * FROM draws WHERE id = $1 FOR UPDATE`, [drawId]);
    if (!raws[0]) throw notFound("No draw with that id in your circles.");
    const given: Array<{ seed: string }> = await manager.query(`SELECT seed FROM draw_seeds WHERE draw_id = $1 ORDER BY position`, [drawId]);
    const draw = drawFromSql(raws[0], given.map((g) => g.seed));
    if (draw.status === "CLOSED") throw conflict("This draw is closed: its seeds and result are final.");
    const role = await lockActiveRole(manager, draw.roleId);
    await manager.query(`INSERT INTO draw_seeds (draw_id, position, seed, contributed_at) VALUES ($1, $2, $3, $4)`, [drawId, draw.seeds.length, seed, now]);
    const seeds = [...draw.seeds, seed];
    if (seeds.length >= draw.seedsRequired) await closeDraw(manager, role, drawId, draw.pool, draw.rules, seeds, now);
  });
}

/**
 * The new moon's rotation of every active role of a circle, once per cycle (draws' unique (role, cycle)):
 * a draw committed to the body's seated members, without last cycle's holders while others are
 * eligible, and closed at once with the written rotation seed. Returns how many roles rotated.
 */
export async function rotateRoles(db: DataSource, circleId: string, cycle: string, now: Date): Promise<number> {
  const roles: Array<{ id: string }> = await db.query(`SELECT id FROM roles WHERE circle_id = $1 AND status = 'ACTIVE' ORDER BY id`, [circleId]);
  let rotated = 0;
  for (const { id } of roles) {
    rotated += await db.transaction(async (manager) => {
      const role = await lockActiveRole(manager, id).catch(() => undefined);
      if (!role) return 0;
      const done: unknown[] = await manager.query(`SELECT 1 FROM draws WHERE role_id = $1 AND cycle = $2`, [id, cycle]);
      if (done.length > 0) return 0;
      const head = await logHead(manager, circleId);
      const { id: drawId, pool, rules } = await openDraw(manager, role, 1, cycle, now);
      const seed = rotationSeed(cycle, head.hash);
      await manager.query(`INSERT INTO draw_seeds (draw_id, position, seed, contributed_at) VALUES ($1, 0, $2, $3)`, [drawId, seed, now]);
      await closeDraw(manager, role, drawId, pool, rules, [seed], now);
      return 1;
    });
  }
  return rotated;
}
