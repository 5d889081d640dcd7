import { sqlRow, type Queryable } from "@rhizome/kit";
import {
  DEFAULT_CALL_TIMEOUT_MINUTES,
  DEFAULT_FUND_APPROVALS_NEEDED,
  DEFAULT_VERIFICATIONS_NEEDED,
} from "../domain/alerts.js";
import type { DefenseSettings } from "../domain/settings.js";

export type { DefenseSettings };

export const DEFAULT_SETTINGS: DefenseSettings = {
  verificationsNeeded: DEFAULT_VERIFICATIONS_NEEDED,
  callTimeoutMinutes: DEFAULT_CALL_TIMEOUT_MINUTES,
  fundApprovalsNeeded: DEFAULT_FUND_APPROVALS_NEEDED,
};

export async function settingsOf(db: Queryable, circleId: string): Promise<DefenseSettings> {
  const row = await sqlRow<DefenseSettings>(
    db,
    `SELECT verifications_needed, call_timeout_minutes, fund_approvals_needed FROM settings WHERE circle_id = $1`,
    [circleId],
  );
  return row ?? DEFAULT_SETTINGS;
}

export async function saveSettings(
  db: Queryable,
  circleId: string,
  settings: DefenseSettings,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO settings (circle_id, verifications_needed, call_timeout_minutes, fund_approvals_needed, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id) DO UPDATE SET verifications_needed = $2, call_timeout_minutes = $3, fund_approvals_needed = $4, updated_at = $5`,
    [circleId, settings.verificationsNeeded, settings.callTimeoutMinutes, settings.fundApprovalsNeeded, now],
  );
}
