import { sqlRows, type Queryable } from "@rhizome/kit";
import type { BalanceLimits } from "../domain/balance-limits.js";

/** Barter's own record of a circle: its balance limits and when barter first heard of it. */
export interface CircleSettingsRow {
  circleId: string;
  floorMinutes: number;
  ceilingMinutes: number;
  firstSeenAt: Date;
  updatedAt: Date;
}

/** Circle settings by circle id, in one query (the per-request `settings` loader). */
export function settingsOfCircles(db: Queryable, circleIds: readonly string[]): Promise<CircleSettingsRow[]> {
  return sqlRows<CircleSettingsRow>(
    db,
    `SELECT circle_id, floor_minutes, ceiling_minutes, first_seen_at, updated_at FROM circle_settings WHERE circle_id = ANY($1::uuid[])`,
    [circleIds],
  );
}

/** Sets a circle's balance floor and ceiling (its settings row exists once a member's account is open). */
export async function updateBalanceLimits(
  tx: Queryable,
  circleId: string,
  limits: BalanceLimits,
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE circle_settings SET floor_minutes = $2, ceiling_minutes = $3, updated_at = $4 WHERE circle_id = $1`,
    [circleId, limits.floorMinutes, limits.ceilingMinutes, now],
  );
}
