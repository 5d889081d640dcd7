import type { DataSource, EntityManager } from "typeorm";
import { In } from "typeorm";
import type { BalanceLimits } from "../domain/balance-limits.js";
import { CircleSettingsRow } from "../entities/circle-settings.js";
import { lockActingAccount } from "./accounts.js";

/** Circle settings by circle id, in one query (the per-request `settings` loader). */
export function settingsOfCircles(
  db: DataSource | EntityManager,
  circleIds: readonly string[],
): Promise<CircleSettingsRow[]> {
  return db.getRepository(CircleSettingsRow).findBy({ circleId: In([...circleIds]) });
}

/**
 * Sets a circle's balance floor and ceiling, as one of its organizers (who the caller has checked).
 * Opens the organizer's account first, so the circle's settings row exists. Balances stay as they are.
 */
export async function setBalanceLimits(
  db: DataSource,
  circleId: string,
  organizerMemberId: string,
  limits: BalanceLimits,
  now: Date,
): Promise<void> {
  await db.transaction(async (manager) => {
    await lockActingAccount(manager, circleId, organizerMemberId, now, "share");
    await manager.query(
      `UPDATE circle_settings SET floor_minutes = $2, ceiling_minutes = $3, updated_at = $4 WHERE circle_id = $1`,
      [circleId, limits.floorMinutes, limits.ceilingMinutes, now],
    );
  });
}
