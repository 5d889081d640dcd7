import type { DataSource } from "typeorm";
import type { LunarCycle } from "@rhizome/kit";
import type { CycleFigures } from "../domain/summary.js";

/** Skills considered per summary; rankings show only the top few of these. */
export const MAX_SUMMARY_SKILLS = 200;

/** Counts a circle's cycle, unsuppressed. Callers publish only through publishCycleSummary. */
export async function countCycleFigures(db: DataSource, circleId: string, cycle: LunarCycle): Promise<CycleFigures> {
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
