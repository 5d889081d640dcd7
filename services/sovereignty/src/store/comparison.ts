import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { SovereigntyMetric } from "../domain/scores.js";

/** A circle's choices about its figures (table `circle_settings`): whether it takes part in comparisons. */
export interface CircleSettingsRow {
  circleId: string;
  isOptedOutOfComparison: boolean;
  updatedBy: string;
  updatedAt: Date;
}

/** One published figure of a closed cycle (table `published_figures`), a row each so comparisons can sort by any metric. */
export interface PublishedFigureRow {
  circleId: string;
  metric: string;
  cycle: string;
  value: number;
}

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
): Promise<Array<Pick<PublishedFigureRow, "circleId" | "value">>> {
  return sqlRows<Pick<PublishedFigureRow, "circleId" | "value">>(
    db,
    `SELECT f.circle_id, f.value
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
  const rows = await sqlRows<Omit<PublishedFigureRow, "metric">>(
    db,
    `SELECT circle_id, cycle, value FROM published_figures WHERE circle_id = ANY($1::uuid[]) AND metric = $2 AND cycle = ANY($3::text[])`,
    [circleIds, metric, cycles],
  );
  const byCircle = new Map<string, Map<string, number>>(circleIds.map((id) => [id, new Map()]));
  for (const row of rows) byCircle.get(row.circleId)?.set(row.cycle, row.value);
  return byCircle;
}

export async function isOptedOutOfComparison(db: Queryable, circleId: string): Promise<boolean> {
  const row = await sqlRow<Pick<CircleSettingsRow, "isOptedOutOfComparison">>(
    db,
    `SELECT is_opted_out_of_comparison FROM circle_settings WHERE circle_id = $1`,
    [circleId],
  );
  return row?.isOptedOutOfComparison ?? false;
}

export async function upsertComparisonOptOut(tx: Queryable, settings: CircleSettingsRow): Promise<void> {
  await tx.query(
    `INSERT INTO circle_settings (circle_id, is_opted_out_of_comparison, updated_by, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (circle_id) DO UPDATE
       SET is_opted_out_of_comparison = EXCLUDED.is_opted_out_of_comparison, updated_by = EXCLUDED.updated_by,
           updated_at = EXCLUDED.updated_at`,
    [settings.circleId, settings.isOptedOutOfComparison, settings.updatedBy, settings.updatedAt],
  );
}
