import type { DataSource } from "typeorm";
import { lockActingAccount } from "./accounts.js";
import type { Queryable } from "./transfers.js";

export interface CycleTheme {
  circleId: string;
  cycle: string;
  theme: string;
  skills: string[];
}

/** Sets (or replaces) a circle's theme for a cycle, as one of its organizers (who the caller has checked). */
export async function setCycleTheme(
  db: DataSource,
  theme: CycleTheme,
  organizerMemberId: string,
  now: Date,
): Promise<CycleTheme> {
  return db.transaction(async (manager) => {
    await lockActingAccount(manager, theme.circleId, organizerMemberId, now, "share");
    await manager.query(
      `INSERT INTO cycle_themes (circle_id, cycle, theme, skills, set_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (circle_id, cycle) DO UPDATE SET theme = EXCLUDED.theme, skills = EXCLUDED.skills, set_at = EXCLUDED.set_at`,
      [theme.circleId, theme.cycle, theme.theme, theme.skills, now],
    );
    return theme;
  });
}

/** Themes for many (circle, cycle) pairs in one query (the per-request `themes` loader). */
export async function themesOf(
  db: Queryable,
  wanted: ReadonlyArray<{ circleId: string; cycle: string }>,
): Promise<CycleTheme[]> {
  const rows: Array<{ circle_id: string; cycle: string; theme: string; skills: string[] }> = await db.query(
    `SELECT t.circle_id, t.cycle, t.theme, t.skills FROM cycle_themes t
     JOIN unnest($1::uuid[], $2::text[]) AS w(circle_id, cycle) ON t.circle_id = w.circle_id AND t.cycle = w.cycle`,
    [wanted.map((w) => w.circleId), wanted.map((w) => w.cycle)],
  );
  return rows.map((row) => ({ circleId: row.circle_id, cycle: row.cycle, theme: row.theme, skills: row.skills }));
}
