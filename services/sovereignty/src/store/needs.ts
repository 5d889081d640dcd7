import { randomUUID } from "node:crypto";
import { IsNull, type DataSource, type EntityManager } from "typeorm";
import { badInput, conflict, MIN_PEOPLE_PER_PUBLISHED_FIGURE } from "@rhizome/kit";
import { MAX_OPEN_NEEDS, type NeedDraft, type WaitingCategoryCounts, type WaitingNeedSource } from "../domain/needs.js";
import { NeedRow } from "../entities/need.js";

/** Posts a need on the circle's board; the circle is locked while its open needs are counted. */
export async function postNeed(db: DataSource, circleId: string, need: NeedDraft, postedBy: string, now: Date): Promise<NeedRow> {
  return db.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sovereignty-needs:${circleId}`]);
    const [{ open }]: Array<{ open: number }> = await manager.query(`SELECT count(*)::int AS open FROM needs WHERE circle_id = $1 AND closed_at IS NULL`, [circleId]);
    if (open >= MAX_OPEN_NEEDS) throw badInput(`A board holds at most ${MAX_OPEN_NEEDS} open needs; close some that were met first.`);
    const row = Object.assign(new NeedRow(), { id: randomUUID(), circleId, ...need, postedBy, postedAt: now, closedAt: null });
    await manager.getRepository(NeedRow).insert(row);
    return row;
  });
}

/** Takes a met or withdrawn need off the board. */
export async function closeNeed(db: DataSource, need: NeedRow, now: Date): Promise<NeedRow> {
  const closed = await db.getRepository(NeedRow).update({ id: need.id, circleId: need.circleId, closedAt: IsNull() }, { closedAt: now });
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
export async function closeWaitingNeed(manager: Pick<EntityManager, "query">, source: WaitingNeedSource, sourceId: string): Promise<void> {
  await manager.query(`DELETE FROM waiting_needs WHERE source = $1 AND source_id = $2`, [source, sourceId]);
}

/** A member who left has no needs on the board any more. */
export async function forgetWaitingNeedsOf(manager: Pick<EntityManager, "query">, circleId: string, memberId: string): Promise<void> {
  await manager.query(`DELETE FROM waiting_needs WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
}

/** Members' open needs per category, only for categories with enough distinct members to be published at all. */
export function waitingCategoryCounts(db: DataSource, circleId: string): Promise<WaitingCategoryCounts[]> {
  return db.query(
    `SELECT category,
       count(*) FILTER (WHERE source = 'REQUEST')::int AS requests,
       count(DISTINCT member_id) FILTER (WHERE source = 'REQUEST')::int AS requesters,
       count(*) FILTER (WHERE source = 'RESERVATION')::int AS reservations,
       count(DISTINCT member_id) FILTER (WHERE source = 'RESERVATION')::int AS reservers,
       count(DISTINCT member_id)::int AS members
     FROM waiting_needs WHERE circle_id = $1 GROUP BY category HAVING count(DISTINCT member_id) >= $2`,
    [circleId, MIN_PEOPLE_PER_PUBLISHED_FIGURE],
  );
}
