import { sqlRows, type Queryable } from "@rhizome/kit";

export interface CycleTheme {
  circleId: string;
  cycle: string;
  theme: string;
  skills: string[];
}

/** Sets (or replaces) a circle's theme for a cycle. */
export async function upsertCycleTheme(tx: Queryable, theme: CycleTheme, now: Date): Promise<CycleTheme> {
  await tx.query(
    `INSERT INTO cycle_themes (circle_id, cycle, theme, skills, set_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id, cycle) DO UPDATE SET theme = EXCLUDED.theme, skills = EXCLUDED.skills, set_at = EXCLUDED.set_at`,
    [theme.circleId, theme.cycle, theme.theme, theme.skills, now],
  );
  return theme;
}

/** Themes for many (circle, cycle) pairs in one query (the per-request `themes` loader). */
export function themesOf(
  db: Queryable,
  wanted: ReadonlyArray<{ circleId: string; cycle: string }>,
): Promise<CycleTheme[]> {
  return sqlRows<CycleTheme>(
    db,
    `SELECT t.circle_id, t.cycle, t.theme, t.skills FROM cycle_themes t
     JOIN unnest($1::uuid[], $2::text[]) AS w(circle_id, cycle) ON t.circle_id = w.circle_id AND t.cycle = w.cycle`,
    [wanted.map((w) => w.circleId), wanted.map((w) => w.cycle)],
  );
}
