import type { DataSource, EntityManager } from "typeorm";
import type { SovereigntyMetric } from "../domain/scores.js";
import { CircleSettingsRow } from "../entities/circle-settings.js";

type Queryable = Pick<EntityManager, "query">;

/** Where a comparison page ends: the last circle's figure and id (the order is figure, then id, both descending). */
export interface ComparisonPosition {
  value: number;
  circleId: string;
}

export interface ComparisonQuery {
  metric: SovereigntyMetric;
  cycle: string;
  after?: ComparisonPosition;
  /** Rows to return: a page size plus one. */
  limit: number;
}

/**
 * Circles that publish the metric for the cycle, highest first, leaving out circles that opted
 * out: one range of the ranking index, however many circles the hub holds.
 */
export function rankCircles(
  db: Queryable,
  query: ComparisonQuery,
): Promise<Array<{ circleId: string; value: number }>> {
  return db.query(
    `SELECT f.circle_id AS "circleId", f.value
     FROM published_figures f
     WHERE f.cycle = $1 AND f.metric = $2
       AND ($3::float8 IS NULL OR (f.value, f.circle_id) < ($3::float8, $4::uuid))
       AND NOT EXISTS (SELECT 1 FROM circle_settings s WHERE s.circle_id = f.circle_id AND s.is_opted_out_of_comparison)
     ORDER BY f.value DESC, f.circle_id DESC
     LIMIT $5`,
    [query.cycle, query.metric, query.after?.value ?? null, query.after?.circleId ?? null, query.limit],
  );
}

/** The metric's published values of each circle in each cycle, by circle then cycle (absent: suppressed or not closed). */
export async function publishedValues(
  db: Queryable,
  metric: SovereigntyMetric,
  circleIds: string[],
  cycles: string[],
): Promise<Map<string, Map<string, number>>> {
  const rows: Array<{ circle_id: string; cycle: string; value: number }> = await db.query(
    `SELECT circle_id, cycle, value FROM published_figures WHERE circle_id = ANY($1::uuid[]) AND metric = $2 AND cycle = ANY($3::text[])`,
    [circleIds, metric, cycles],
  );
  const byCircle = new Map<string, Map<string, number>>(circleIds.map((id) => [id, new Map()]));
  for (const row of rows) byCircle.get(row.circle_id)?.set(row.cycle, row.value);
  return byCircle;
}

export async function isOptedOutOfComparison(db: Queryable, circleId: string): Promise<boolean> {
  const rows: Array<{ opted_out: boolean }> = await db.query(
    `SELECT is_opted_out_of_comparison AS opted_out FROM circle_settings WHERE circle_id = $1`,
    [circleId],
  );
  return rows[0]?.opted_out ?? false;
}

export async function setComparisonOptOut(
  db: DataSource,
  circleId: string,
  memberId: string,
  isOptedOut: boolean,
  now: Date,
): Promise<void> {
  await db
    .createQueryBuilder()
    .insert()
    .into(CircleSettingsRow)
    .values({ circleId, isOptedOutOfComparison: isOptedOut, updatedBy: memberId, updatedAt: now })
    .orUpdate(["is_opted_out_of_comparison", "updated_by", "updated_at"], ["circle_id"])
    .execute();
}
