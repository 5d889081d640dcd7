import { randomUUID } from "node:crypto";
import { IsNull, type DataSource, type EntityManager } from "typeorm";
import { badInput, conflict, cycleContaining, MIN_PEOPLE_PER_PUBLISHED_FIGURE } from "@rhizome/kit";
import {
  categoriesToReplace,
  MAX_OPEN_NEEDS,
  type LiveCategoryNeeds,
  type NeedDraft,
  type WaitingCategoryCounts,
  type WaitingNeedSource,
} from "../domain/needs.js";
import { NeedRow } from "../entities/need.js";

/** Posts a need on the circle's board; the circle is locked while its open needs are counted. */
export async function postNeed(
  db: DataSource,
  circleId: string,
  need: NeedDraft,
  postedBy: string,
  now: Date,
): Promise<NeedRow> {
  return db.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sovereignty-needs:${circleId}`]);
    const [{ open }]: Array<{ open: number }> = await manager.query(
      `SELECT count(*)::int AS open FROM needs WHERE circle_id = $1 AND closed_at IS NULL`,
      [circleId],
    );
    if (open >= MAX_OPEN_NEEDS)
      throw badInput(`A board holds at most ${MAX_OPEN_NEEDS} open needs; close some that were met first.`);
    const row = Object.assign(new NeedRow(), {
      id: randomUUID(),
      circleId,
      ...need,
      postedBy,
      postedAt: now,
      closedAt: null,
    });
    await manager.getRepository(NeedRow).insert(row);
    return row;
  });
}

/** Takes a met or withdrawn need off the board. */
export async function closeNeed(db: DataSource, need: NeedRow, now: Date): Promise<NeedRow> {
  const closed = await db
    .getRepository(NeedRow)
    .update({ id: need.id, circleId: need.circleId, closedAt: IsNull() }, { closedAt: now });
  if (!closed.affected) throw conflict("This need is already off the board.");
  return Object.assign(new NeedRow(), need, { closedAt: now });
}

export function needById(db: DataSource, needId: string): Promise<NeedRow | null> {
  return db.getRepository(NeedRow).findOneBy({ id: needId });
}

/** Every open need of a circle, newest first (at most MAX_OPEN_NEEDS). */
export function openNeeds(db: DataSource, circleId: string): Promise<NeedRow[]> {
  return db
    .getRepository(NeedRow)
    .createQueryBuilder("n")
    .where("n.circleId = :circleId AND n.closedAt IS NULL", { circleId })
    .orderBy("n.postedAt", "DESC")
    .addOrderBy("n.id", "DESC")
    .limit(MAX_OPEN_NEEDS)
    .getMany();
}

export interface OpenedWaitingNeed {
  source: WaitingNeedSource;
  sourceId: string;
  circleId: string;
  memberId: string;
  /** Already normalised (domain categoriesOfNeed). */
  categories: readonly string[];
  openedAt: Date;
}

/** A member's need is open in these categories: replaces what was known of it (a request's skills may change). */
export async function openWaitingNeed(manager: EntityManager, need: OpenedWaitingNeed): Promise<void> {
  await closeWaitingNeed(manager, need.source, need.sourceId);
  if (need.categories.length === 0) return;
  await manager.query(
    `INSERT INTO waiting_needs (source, source_id, category, circle_id, member_id, opened_at) SELECT $1, $2, unnest($3::text[]), $4, $5, $6`,
    [need.source, need.sourceId, [...need.categories], need.circleId, need.memberId, need.openedAt],
  );
}

/** The need closed (met, withdrawn, cancelled): it leaves the board, and the member's id with it. */
export async function closeWaitingNeed(
  manager: Pick<EntityManager, "query">,
  source: WaitingNeedSource,
  sourceId: string,
): Promise<void> {
  await manager.query(`DELETE FROM waiting_needs WHERE source = $1 AND source_id = $2`, [source, sourceId]);
}

/**
 * A member who left has no needs on the board any more. The published snapshot keeps counting them
 * under a fresh random id (so it still knows one person left at the next new moon), never their own.
 */
export async function forgetWaitingNeedsOf(
  manager: Pick<EntityManager, "query">,
  circleId: string,
  memberId: string,
): Promise<void> {
  await manager.query(`DELETE FROM waiting_needs WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
  await manager.query(`UPDATE board_snapshot_members SET member_id = $3 WHERE circle_id = $1 AND member_id = $2`, [
    circleId,
    memberId,
    randomUUID(),
  ]);
}

/** Members' open needs per category as they stand now, with the members behind each (never leaves the service). */
async function liveCategoryNeeds(
  manager: Pick<EntityManager, "query">,
  circleId: string,
): Promise<LiveCategoryNeeds[]> {
  return manager.query(
    `SELECT category,
       count(*) FILTER (WHERE source = 'REQUEST')::int AS requests,
       count(DISTINCT member_id) FILTER (WHERE source = 'REQUEST')::int AS requesters,
       count(*) FILTER (WHERE source = 'RESERVATION')::int AS reservations,
       count(DISTINCT member_id) FILTER (WHERE source = 'RESERVATION')::int AS reservers,
       count(DISTINCT member_id)::int AS members,
       array_agg(DISTINCT member_id::text) AS "memberIds"
     FROM waiting_needs WHERE circle_id = $1 GROUP BY category`,
    [circleId],
  );
}

async function publishedBoard(db: Pick<EntityManager, "query">, circleId: string): Promise<WaitingCategoryCounts[]> {
  return db.query(
    `SELECT category, requests, requesters, reservations, reservers, members FROM board_snapshots WHERE circle_id = $1 AND members >= $2`,
    [circleId, MIN_PEOPLE_PER_PUBLISHED_FIGURE],
  );
}

/**
 * Members' open needs per category as the public board shows them: a snapshot reconsidered once per
 * lunar cycle, at the first read in it, where each category's figure is replaced only when at
 * least 5 members came or went since it was published (domain `categoriesToReplace`). Nothing one
 * member does changes what anyone reads within a cycle, and across cycles only cohorts of 5 show.
 */
export async function publishedWaitingCounts(
  db: DataSource,
  circleId: string,
  now: Date,
): Promise<WaitingCategoryCounts[]> {
  const cycle = cycleContaining(now).label;
  const reconsidered: Array<{ cycle: string }> = await db.query(
    `SELECT cycle FROM board_snapshot_cycles WHERE circle_id = $1`,
    [circleId],
  );
  if (reconsidered[0]?.cycle === cycle) return publishedBoard(db, circleId);
  // Anyone may read a board by any id: only circles the service knows get a snapshot written.
  const known: unknown[] = await db.query(`SELECT 1 FROM known_circles WHERE circle_id = $1`, [circleId]);
  if (known.length === 0) return [];
  return db.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sovereignty-board:${circleId}`]);
    const [again]: Array<{ cycle: string }> = await manager.query(
      `SELECT cycle FROM board_snapshot_cycles WHERE circle_id = $1`,
      [circleId],
    );
    if (again?.cycle !== cycle) await reconsiderBoard(manager, circleId, cycle);
    return publishedBoard(manager, circleId);
  });
}

async function reconsiderBoard(manager: EntityManager, circleId: string, cycle: string): Promise<void> {
  const live = await liveCategoryNeeds(manager, circleId);
  const snapshotMembers: Array<{ category: string; member_id: string }> = await manager.query(
    `SELECT category, member_id FROM board_snapshot_members WHERE circle_id = $1`,
    [circleId],
  );
  const published = new Map<string, Set<string>>();
  for (const row of snapshotMembers)
    published.set(row.category, (published.get(row.category) ?? new Set()).add(row.member_id));
  const liveByCategory = new Map(live.map((counts) => [counts.category, counts]));
  const replaced = categoriesToReplace(
    published,
    new Map(live.map((counts) => [counts.category, new Set(counts.memberIds)])),
  );
  if (replaced.length > 0) {
    await manager.query(`DELETE FROM board_snapshots WHERE circle_id = $1 AND category = ANY($2::text[])`, [
      circleId,
      replaced,
    ]);
    await manager.query(`DELETE FROM board_snapshot_members WHERE circle_id = $1 AND category = ANY($2::text[])`, [
      circleId,
      replaced,
    ]);
    for (const category of replaced) {
      const counts = liveByCategory.get(category);
      if (!counts) continue;
      await manager.query(
        `INSERT INTO board_snapshots (circle_id, category, members, requests, requesters, reservations, reservers, taken_in_cycle) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          circleId,
          category,
          counts.members,
          counts.requests,
          counts.requesters,
          counts.reservations,
          counts.reservers,
          cycle,
        ],
      );
      await manager.query(
        `INSERT INTO board_snapshot_members (circle_id, category, member_id) SELECT $1, $2, unnest($3::uuid[])`,
        [circleId, category, counts.memberIds],
      );
    }
  }
  await manager.query(
    `INSERT INTO board_snapshot_cycles (circle_id, cycle) VALUES ($1, $2) ON CONFLICT (circle_id) DO UPDATE SET cycle = EXCLUDED.cycle`,
    [circleId, cycle],
  );
}
