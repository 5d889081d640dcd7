import type { DataSource } from "typeorm";
import { freezeWitnessedDraw, type Queryable } from "@rhizome/kit";
import { drawPool, holdersAfterDraw, roleDrawPurpose, type DrawRules } from "../domain/draws.js";
import { activeRoleIds, drawCandidates, keepOnlyHolders, lockRole, replaceHolders } from "../store/roles.js";

/**
 * The new moon's rotation of every active role of a circle, once per role and cycle (the witnessed
 * draw of (role, cycle) is frozen once), one transaction per role: the pool is the body's seated
 * members, without last cycle's holders while others are eligible; with at least three witnesses'
 * commitments made during the cycle, the first `holders` of the order take the role, otherwise the
 * holders still seated keep it. Returns how many roles were drawn or carried over by this run.
 */
export async function rotateRoles(
  db: DataSource,
  sealKey: Buffer,
  circleId: string,
  cycle: string,
  now: Date,
): Promise<number> {
  let rotated = 0;
  for (const id of await activeRoleIds(db, circleId))
    rotated += await db.transaction((tx) => rotateRole(tx, sealKey, circleId, id, cycle, now));
  return rotated;
}

/**
 * Rotates one role inside the caller's transaction, once per cycle: locks it, freezes its witnessed
 * draw of the cycle and seats the chosen holders. Answers 1 when this call drew or carried it over.
 */
export async function rotateRole(
  tx: Queryable,
  sealKey: Buffer,
  circleId: string,
  id: string,
  cycle: string,
  now: Date,
): Promise<number> {
  const role = await lockRole(tx, id);
  if (role?.status !== "ACTIVE") return 0;
  const { seated, holders } = await drawCandidates(tx, role);
  const { pool, excluded } = drawPool(seated, holders, role.holderCount);
  const rules: DrawRules = {
    roleId: role.id,
    role: role.name,
    holders: role.holderCount,
    excludedAsPreviousHolders: excluded,
  };
  const outcome = await freezeWitnessedDraw(
    tx,
    sealKey,
    { circleId, purpose: roleDrawPurpose(role.id), cycle },
    pool,
    { ...rules },
    (order, status) => holdersAfterDraw(order, status, role.holderCount, holders, seated),
    now,
  );
  if (outcome.wasAlreadyFrozen) return 0;
  if (outcome.status === "DRAWN") await replaceHolders(tx, role, outcome.chosen, outcome.drawId, now);
  else await keepOnlyHolders(tx, role.id, outcome.chosen);
  return 1;
}
