import type { EntityManager } from "typeorm";
import type { LunarCycle } from "@rhizome/kit";
import type { CycleFigures } from "../domain/summary.js";

/** Skills considered per summary; rankings show only the top few of these. */
export const MAX_SUMMARY_SKILLS = 200;

/** A DataSource or a transaction's EntityManager. */
type Queryable = Pick<EntityManager, "query">;

export const recordedFiguresKey = (circleId: string, cycle: string) => `${circleId}@${cycle}`;

/** Recorded figures for many (circle, cycle) keys in one query: comparing many circles stays one query. */
export async function recordedFiguresOf(db: Queryable, keys: readonly string[]): Promise<Array<CycleFigures | undefined>> {
  const pairs = keys.map((key) => key.split("@"));
  const rows: Array<{ circle_id: string; cycle: string; figures: CycleFigures }> = await db.query(
    `SELECT f.circle_id, f.cycle, f.figures FROM cycle_figures f
     JOIN unnest($1::text[], $2::text[]) AS wanted(circle_id, cycle) ON f.circle_id::text = wanted.circle_id AND f.cycle = wanted.cycle`,
    [pairs.map(([circleId]) => circleId), pairs.map(([, cycle]) => cycle)],
  );
  const found = new Map(rows.map((row) => [recordedFiguresKey(row.circle_id, row.cycle), row.figures]));
  return keys.map((key) => found.get(key));
}

/** Records a closed cycle's figures once; later edits to listings no longer change its summary. */
export async function recordCycleFigures(db: Queryable, circleId: string, cycle: LunarCycle, recordedAt: Date): Promise<void> {
  const figures = await countCycleFigures(db, circleId, cycle);
  await db.query(`INSERT INTO cycle_figures (circle_id, cycle, figures, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    circleId,
    cycle.label,
    figures,
    recordedAt,
  ]);
}

/** Counts a circle's cycle from the ledger, the exchanges and the listings. */
export async function countCycleFigures(db: Queryable, circleId: string, cycle: LunarCycle): Promise<CycleFigures> {
  const [exchanges]: Array<{ exchange_count: string; minutes_exchanged: string; participant_count: string }> = await db.query(
    `WITH confirmed AS (
       SELECT x.provider_member_id, x.receiver_member_id, x.minutes
       FROM transfers t JOIN exchanges x ON x.id = t.exchange_id
       WHERE t.circle_id = $1 AND t.cycle = $2 AND t.kind = 'EXCHANGE'
     )
     SELECT (SELECT count(*) FROM confirmed) AS exchange_count,
            (SELECT COALESCE(sum(minutes), 0) FROM confirmed) AS minutes_exchanged,
            (SELECT count(DISTINCT member_id) FROM (
               SELECT provider_member_id AS member_id FROM confirmed UNION ALL SELECT receiver_member_id FROM confirmed
             ) AS parties) AS participant_count`,
    [circleId, cycle.label],
  );
  const skills: Array<{ skill: string; offering: string; requesting: string }> = await db.query(
    `SELECT skill,
       count(DISTINCT member_id) FILTER (WHERE kind = 'OFFER') AS offering,
       count(DISTINCT member_id) FILTER (WHERE kind = 'REQUEST') AS requesting
     FROM listings, unnest(skills) AS skill
     WHERE circle_id = $1 AND published_at < $3 AND (withdrawn_at IS NULL OR withdrawn_at >= $2)
     GROUP BY skill
     ORDER BY count(DISTINCT member_id) DESC, skill
     LIMIT $4`,
    [circleId, cycle.startsAt, cycle.endsAt, MAX_SUMMARY_SKILLS],
  );
  const runs: Array<Record<string, number>> = await db.query(
    `SELECT credits_expired_minutes, accounts_with_credits_expired, debts_annulled_minutes, accounts_with_debts_annulled
     FROM expiry_runs WHERE circle_id = $1 AND cycle = $2 AND finished_at IS NOT NULL`,
    [circleId, cycle.label],
  );
  const run = runs[0];
  return {
    exchangeCount: Number(exchanges.exchange_count),
    minutesExchanged: Number(exchanges.minutes_exchanged),
    participantCount: Number(exchanges.participant_count),
    skills: skills.map((s) => ({ skill: s.skill, offeringMembers: Number(s.offering), requestingMembers: Number(s.requesting) })),
    expiry: run && {
      creditsExpiredMinutes: run.credits_expired_minutes,
      accountsWithCreditsExpired: run.accounts_with_credits_expired,
      debtsAnnulledMinutes: run.debts_annulled_minutes,
      accountsWithDebtsAnnulled: run.accounts_with_debts_annulled,
    },
  };
}
