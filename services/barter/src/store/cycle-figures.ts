import { sqlRows, type LunarCycle, type Queryable } from "@rhizome/kit";
import type { CycleFigures } from "../domain/summary.js";

/** Skills considered per summary; rankings show only the top few of these. */
export const MAX_SUMMARY_SKILLS = 200;

export const recordedFiguresKey = (circleId: string, cycle: string) => `${circleId}@${cycle}`;

/** Recorded figures for many (circle, cycle) keys in one query: comparing many circles stays one query. */
export async function recordedFiguresOf(
  db: Queryable,
  keys: readonly string[],
): Promise<Array<CycleFigures | undefined>> {
  const pairs = keys.map((key) => key.split("@"));
  const rows = await sqlRows<{ circleId: string; cycle: string; figures: CycleFigures }>(
    db,
    `SELECT f.circle_id, f.cycle, f.figures FROM cycle_figures f
     JOIN unnest($1::text[], $2::text[]) AS wanted(circle_id, cycle) ON f.circle_id::text = wanted.circle_id AND f.cycle = wanted.cycle`,
    [pairs.map(([circleId]) => circleId), pairs.map(([, cycle]) => cycle)],
  );
  const found = new Map(rows.map((row) => [recordedFiguresKey(row.circleId, row.cycle), row.figures]));
  return keys.map((key) => found.get(key));
}

/** Records a closed cycle's figures once; later edits to listings no longer change its summary. */
export async function recordCycleFigures(
  db: Queryable,
  circleId: string,
  cycle: LunarCycle,
  recordedAt: Date,
): Promise<void> {
  await recordCycleFiguresOf(db, [circleId], cycle, recordedAt);
}

/** Records many circles' figures of one closed cycle: six statements whatever their number. */
export async function recordCycleFiguresOf(
  db: Queryable,
  circleIds: readonly string[],
  cycle: LunarCycle,
  recordedAt: Date,
): Promise<void> {
  if (circleIds.length === 0) return;
  const figures = await countCycleFiguresOf(
    db,
    circleIds.map((circleId) => ({ circleId, cycle })),
  );
  await db.query(
    `INSERT INTO cycle_figures (circle_id, cycle, figures, recorded_at)
     SELECT f.circle_id, $2, f.figures, $4 FROM unnest($1::uuid[], $3::jsonb[]) AS f(circle_id, figures)
     ON CONFLICT DO NOTHING`,
    [circleIds, cycle.label, figures.map((f) => JSON.stringify(f)), recordedAt],
  );
}

/** Counts a circle's cycle from the ledger, the exchanges and the listings. */
export async function countCycleFigures(db: Queryable, circleId: string, cycle: LunarCycle): Promise<CycleFigures> {
  const [figures] = await countCycleFiguresOf(db, [{ circleId, cycle }]);
  return figures;
}

export interface CircleCycle {
  circleId: string;
  cycle: LunarCycle;
}

interface Keyed {
  circleId: string;
  cycle: string;
}

/** The (circle, cycle) pairs as the arrays each counting statement takes. */
function pairsOf(wanted: readonly CircleCycle[]) {
  return { circleIds: wanted.map((w) => w.circleId), labels: wanted.map((w) => w.cycle.label) };
}

function confirmedExchangesOf(db: Queryable, wanted: readonly CircleCycle[]) {
  const { circleIds, labels } = pairsOf(wanted);
  return sqlRows<Keyed & { exchangeCount: string; minutesExchanged: string; participantCount: string }>(
    db,
    `WITH wanted AS (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS w(circle_id, cycle)),
     confirmed AS (
       SELECT t.circle_id, t.cycle, x.provider_member_id, x.receiver_member_id, x.minutes
       FROM wanted w
       JOIN transfers t ON t.circle_id = w.circle_id AND t.cycle = w.cycle AND t.kind = 'EXCHANGE'
       JOIN exchanges x ON x.id = t.exchange_id
     ),
     parties AS (
       SELECT circle_id, cycle, provider_member_id AS member_id FROM confirmed
       UNION SELECT circle_id, cycle, receiver_member_id FROM confirmed
     )
     SELECT w.circle_id, w.cycle,
       COALESCE(e.exchange_count, 0) AS exchange_count,
       COALESCE(e.minutes_exchanged, 0) AS minutes_exchanged,
       COALESCE(p.participant_count, 0) AS participant_count
     FROM wanted w
     LEFT JOIN (SELECT circle_id, cycle, count(*) AS exchange_count, sum(minutes) AS minutes_exchanged FROM confirmed GROUP BY circle_id, cycle) e
       ON e.circle_id = w.circle_id AND e.cycle = w.cycle
     LEFT JOIN (SELECT circle_id, cycle, count(*) AS participant_count FROM parties GROUP BY circle_id, cycle) p
       ON p.circle_id = w.circle_id AND p.cycle = w.cycle`,
    [circleIds, labels],
  );
}

function listedSkillsOf(db: Queryable, wanted: readonly CircleCycle[]) {
  const { circleIds, labels } = pairsOf(wanted);
  return sqlRows<Keyed & { skill: string; offering: string; requesting: string }>(
    db,
    `WITH wanted AS (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS w(circle_id, cycle, starts_at, ends_at)),
     counted AS (
       SELECT w.circle_id, w.cycle, skill,
         count(DISTINCT l.member_id) FILTER (WHERE l.kind = 'OFFER') AS offering,
         count(DISTINCT l.member_id) FILTER (WHERE l.kind = 'REQUEST') AS requesting,
         count(DISTINCT l.member_id) AS members
       FROM wanted w
       JOIN listings l ON l.circle_id = w.circle_id AND l.published_at < w.ends_at AND (l.withdrawn_at IS NULL OR l.withdrawn_at >= w.starts_at)
       CROSS JOIN LATERAL unnest(l.skills) AS skill
       GROUP BY w.circle_id, w.cycle, skill
     ),
     ranked AS (SELECT *, row_number() OVER (PARTITION BY circle_id, cycle ORDER BY members DESC, skill) AS rank FROM counted)
     SELECT circle_id, cycle, skill, offering, requesting FROM ranked WHERE rank <= $5 ORDER BY circle_id, cycle, rank`,
    [circleIds, labels, wanted.map((w) => w.cycle.startsAt), wanted.map((w) => w.cycle.endsAt), MAX_SUMMARY_SKILLS],
  );
}

function themedTradeOf(db: Queryable, wanted: readonly CircleCycle[]) {
  const { circleIds, labels } = pairsOf(wanted);
  return sqlRows<Keyed & { theme: string; skills: string[]; minutes: string; participants: string }>(
    db,
    `WITH wanted AS (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS w(circle_id, cycle)),
     themes AS (SELECT th.* FROM wanted w JOIN cycle_themes th ON th.circle_id = w.circle_id AND th.cycle = w.cycle),
     confirmed AS (
       SELECT th.circle_id, th.cycle, x.provider_member_id, x.receiver_member_id, x.minutes
       FROM themes th
       JOIN transfers t ON t.circle_id = th.circle_id AND t.cycle = th.cycle AND t.kind = 'EXCHANGE'
       JOIN exchanges x ON x.id = t.exchange_id AND x.skill = ANY(th.skills)
     )
     SELECT th.circle_id, th.cycle, th.theme, th.skills,
       COALESCE((SELECT sum(c.minutes) FROM confirmed c WHERE c.circle_id = th.circle_id AND c.cycle = th.cycle), 0) AS minutes,
       (SELECT count(*) FROM (SELECT provider_member_id FROM confirmed c WHERE c.circle_id = th.circle_id AND c.cycle = th.cycle
                              UNION SELECT receiver_member_id FROM confirmed c WHERE c.circle_id = th.circle_id AND c.cycle = th.cycle) AS m) AS participants
     FROM themes th`,
    [circleIds, labels],
  );
}

function sisterTradesOf(db: Queryable, wanted: readonly CircleCycle[]) {
  const { circleIds, labels } = pairsOf(wanted);
  return sqlRows<Keyed & { given: string; received: string; participants: string }>(
    db,
    `WITH wanted AS (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS w(circle_id, cycle)),
     confirmed AS (
       SELECT t.circle_id, t.cycle, x.provider_circle_id, x.provider_member_id, x.receiver_member_id, x.minutes
       FROM wanted w
       JOIN transfers t ON t.circle_id = w.circle_id AND t.cycle = w.cycle AND t.kind = 'CLEARING'
       JOIN sister_exchanges x ON x.id = t.sister_exchange_id
     ),
     parties AS (
       SELECT circle_id, cycle, provider_member_id AS member_id FROM confirmed
       UNION SELECT circle_id, cycle, receiver_member_id FROM confirmed
     )
     SELECT c.circle_id, c.cycle,
       COALESCE(sum(c.minutes) FILTER (WHERE c.provider_circle_id = c.circle_id), 0) AS given,
       COALESCE(sum(c.minutes) FILTER (WHERE c.provider_circle_id <> c.circle_id), 0) AS received,
       (SELECT count(*) FROM parties p WHERE p.circle_id = c.circle_id AND p.cycle = c.cycle) AS participants
     FROM confirmed c GROUP BY c.circle_id, c.cycle`,
    [circleIds, labels],
  );
}

interface ExpiryFigures {
  creditsExpiredMinutes: number;
  accountsWithCreditsExpired: number;
  debtsAnnulledMinutes: number;
  accountsWithDebtsAnnulled: number;
}

function finishedExpiriesOf(db: Queryable, wanted: readonly CircleCycle[]) {
  const { circleIds, labels } = pairsOf(wanted);
  return sqlRows<Keyed & ExpiryFigures>(
    db,
    `SELECT r.circle_id, r.cycle, r.credits_expired_minutes, r.accounts_with_credits_expired, r.debts_annulled_minutes, r.accounts_with_debts_annulled
     FROM expiry_runs r JOIN (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS w(circle_id, cycle)) w ON r.circle_id = w.circle_id AND r.cycle = w.cycle
     WHERE r.finished_at IS NOT NULL`,
    [circleIds, labels],
  );
}

const keyOf = (row: Keyed) => recordedFiguresKey(row.circleId, row.cycle);

function byKey<Row extends Keyed>(rows: readonly Row[]): Map<string, Row> {
  return new Map(rows.map((row) => [keyOf(row), row]));
}

/**
 * Counts many (circle, cycle) pairs in five queries whatever their number: a page of circles
 * showing their summaries costs the same as one (the per-request `liveFigures` loader).
 * Figures come back in the order asked.
 */
export async function countCycleFiguresOf(db: Queryable, wanted: readonly CircleCycle[]): Promise<CycleFigures[]> {
  if (wanted.length === 0) return [];
  const exchanges = byKey(await confirmedExchangesOf(db, wanted));
  const skills = await listedSkillsOf(db, wanted);
  const themes = byKey(await themedTradeOf(db, wanted));
  const sisterTrades = byKey(await sisterTradesOf(db, wanted));
  const runs = byKey(await finishedExpiriesOf(db, wanted));
  const skillsByKey = new Map<string, typeof skills>();
  for (const row of skills) skillsByKey.set(keyOf(row), [...(skillsByKey.get(keyOf(row)) ?? []), row]);
  return wanted.map(({ circleId, cycle }) => {
    const key = recordedFiguresKey(circleId.toLowerCase(), cycle.label);
    const counted = exchanges.get(key);
    const run = runs.get(key);
    const theme = themes.get(key);
    const sisters = sisterTrades.get(key);
    return {
      theme: theme && {
        name: theme.theme,
        skills: theme.skills,
        minutes: Number(theme.minutes),
        participantCount: Number(theme.participants),
      },
      exchangeCount: Number(counted?.exchangeCount ?? 0),
      minutesExchanged: Number(counted?.minutesExchanged ?? 0),
      participantCount: Number(counted?.participantCount ?? 0),
      sisterTrade: {
        minutesGiven: Number(sisters?.given ?? 0),
        minutesReceived: Number(sisters?.received ?? 0),
        participantCount: Number(sisters?.participants ?? 0),
      },
      skills: (skillsByKey.get(key) ?? []).map((s) => ({
        skill: s.skill,
        offeringMembers: Number(s.offering),
        requestingMembers: Number(s.requesting),
      })),
      expiry: run && {
        creditsExpiredMinutes: run.creditsExpiredMinutes,
        accountsWithCreditsExpired: run.accountsWithCreditsExpired,
        debtsAnnulledMinutes: run.debtsAnnulledMinutes,
        accountsWithDebtsAnnulled: run.accountsWithDebtsAnnulled,
      },
    };
  });
}

/**
 * Whether anything could ever count in a circle's cycle that ended at `endsAt`: an account of the
 * circle was open before then. A cycle that ended before the circle traded here is empty for good.
 */
export async function couldHaveFigures(db: Queryable, circleId: string, endsAt: Date): Promise<boolean> {
  const rows = await sqlRows(db, `SELECT 1 FROM accounts WHERE circle_id = $1 AND opened_at < $2 LIMIT 1`, [
    circleId,
    endsAt,
  ]);
  return rows.length > 0;
}
