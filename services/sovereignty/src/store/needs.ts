import { randomUUID } from "node:crypto";
import { MIN_PEOPLE_PER_PUBLISHED_FIGURE, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import {
  MAX_OPEN_NEEDS,
  type LiveCategoryNeeds,
  type NeedDraft,
  type WaitingCategoryCounts,
  type WaitingNeedSource,
} from "../domain/needs.js";

/** A need an organizer posted on the circle's public board (table `needs`), until it is met or withdrawn. */
export interface NeedRow {
  id: string;
  circleId: string;
  category: string;
  title: string;
  peopleWaiting: number;
  postedBy: string;
  postedAt: Date;
  closedAt: Date | null;
}

const NEED_COLUMNS = `id, circle_id, category, title, people_waiting, posted_by, posted_at, closed_at`;

/**
 * Locks the circle's board (an advisory lock until the transaction ends) and counts its open needs,
 * so two organizers posting at once cannot both fill its last place.
 */
export async function lockBoardAndCountOpenNeeds(tx: Queryable, circleId: string): Promise<number> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sovereignty-needs:${circleId}`]);
  const counted = await sqlRow<{ open: number }>(
    tx,
    `SELECT count(*)::int AS open FROM needs WHERE circle_id = $1 AND closed_at IS NULL`,
    [circleId],
  );
  return counted?.open ?? 0;
}

/** Posts a need on the circle's board. */
export async function insertNeed(
  tx: Queryable,
  circleId: string,
  need: NeedDraft,
  postedBy: string,
  now: Date,
): Promise<NeedRow> {
  const row = await sqlRow<NeedRow>(
    tx,
    `INSERT INTO needs (id, circle_id, category, title, people_waiting, posted_by, posted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${NEED_COLUMNS}`,
    [randomUUID(), circleId, need.category, need.title, need.peopleWaiting, postedBy, now],
  );
  if (!row) throw new Error("INSERT ... RETURNING answered no need.");
  return row;
}

/** The need, locked for the rest of the transaction; undefined for a wrong id. */
export function lockNeed(tx: Queryable, needId: string): Promise<NeedRow | undefined> {
  return sqlRow<NeedRow>(tx, `SELECT ${NEED_COLUMNS} FROM needs WHERE id = $1 FOR UPDATE`, [needId]);
}

/** Takes a met or withdrawn need off the board. */
export async function markNeedClosed(tx: Queryable, needId: string, closedAt: Date): Promise<NeedRow> {
  const row = await sqlRow<NeedRow>(tx, `UPDATE needs SET closed_at = $2 WHERE id = $1 RETURNING ${NEED_COLUMNS}`, [
    needId,
    closedAt,
  ]);
  if (!row) throw new Error("A need locked in this transaction is gone.");
  return row;
}

/** Every open need of a circle, newest first (at most MAX_OPEN_NEEDS). */
export function openNeeds(db: Queryable, circleId: string): Promise<NeedRow[]> {
  return sqlRows<NeedRow>(
    db,
    `SELECT ${NEED_COLUMNS} FROM needs WHERE circle_id = $1 AND closed_at IS NULL ORDER BY posted_at DESC, id DESC LIMIT $2`,
    [circleId, MAX_OPEN_NEEDS],
  );
}

/**
 * A need a member has open in another service (table `waiting_needs`, one row per category): a barter
 * request, a tool reservation waiting, until its producer says it closed. The member id is kept only to
 * count distinct people before anything is published, and goes with the row.
 */
export interface WaitingNeedRow {
  source: WaitingNeedSource;
  sourceId: string;
  category: string;
  circleId: string;
  memberId: string;
  openedAt: Date;
}

export interface OpenedWaitingNeed extends Omit<WaitingNeedRow, "category"> {
  /** Already normalised (domain categoriesOfNeed). */
  categories: readonly string[];
}

/** A member's need is open in these categories: replaces what was known of it (a request's skills may change). */
export async function openWaitingNeed(tx: Queryable, need: OpenedWaitingNeed): Promise<void> {
  await closeWaitingNeed(tx, need.source, need.sourceId);
  if (need.categories.length === 0) return;
  await tx.query(
    `INSERT INTO waiting_needs (source, source_id, category, circle_id, member_id, opened_at) SELECT $1, $2, unnest($3::text[]), $4, $5, $6`,
    [need.source, need.sourceId, [...need.categories], need.circleId, need.memberId, need.openedAt],
  );
}

/** The need closed (met, withdrawn, cancelled): it leaves the board, and the member's id with it. */
export async function closeWaitingNeed(tx: Queryable, source: WaitingNeedSource, sourceId: string): Promise<void> {
  await tx.query(`DELETE FROM waiting_needs WHERE source = $1 AND source_id = $2`, [source, sourceId]);
}

/**
 * A member who left has no needs on the board any more. The published snapshot keeps counting them
 * under a fresh random id (so it still knows one person left at the next new moon), never their own.
 */
export async function forgetWaitingNeedsOf(tx: Queryable, circleId: string, memberId: string): Promise<void> {
  await tx.query(`DELETE FROM waiting_needs WHERE circle_id = $1 AND member_id = $2`, [circleId, memberId]);
  await tx.query(`UPDATE board_snapshot_members SET member_id = $3 WHERE circle_id = $1 AND member_id = $2`, [
    circleId,
    memberId,
    randomUUID(),
  ]);
}

/** Members' open needs per category as they stand now, with the members behind each (never leaves the service). */
export function liveCategoryNeeds(tx: Queryable, circleId: string): Promise<LiveCategoryNeeds[]> {
  return sqlRows<LiveCategoryNeeds>(
    tx,
    `SELECT category,
       count(*) FILTER (WHERE source = 'REQUEST')::int AS requests,
       count(DISTINCT member_id) FILTER (WHERE source = 'REQUEST')::int AS requesters,
       count(*) FILTER (WHERE source = 'RESERVATION')::int AS reservations,
       count(DISTINCT member_id) FILTER (WHERE source = 'RESERVATION')::int AS reservers,
       count(DISTINCT member_id)::int AS members,
       array_agg(DISTINCT member_id::text) AS member_ids
     FROM waiting_needs WHERE circle_id = $1 GROUP BY category`,
    [circleId],
  );
}

/** The members' part of one category of the public board as last published (table `board_snapshots`). */
export interface BoardSnapshotRow extends WaitingCategoryCounts {
  circleId: string;
  /** The cycle whose reconsideration wrote it. */
  takenInCycle: string;
}

/** The board's published categories (those that stood for at least 5 members when published). */
export function publishedBoard(db: Queryable, circleId: string): Promise<WaitingCategoryCounts[]> {
  return sqlRows<WaitingCategoryCounts>(
    db,
    `SELECT category, requests, requesters, reservations, reservers, members FROM board_snapshots WHERE circle_id = $1 AND members >= $2`,
    [circleId, MIN_PEOPLE_PER_PUBLISHED_FIGURE],
  );
}

/** The cycle in which the circle's board was last reconsidered (table `board_snapshot_cycles`), if ever. */
export async function boardReconsideredIn(db: Queryable, circleId: string): Promise<string | undefined> {
  const row = await sqlRow<{ cycle: string }>(db, `SELECT cycle FROM board_snapshot_cycles WHERE circle_id = $1`, [
    circleId,
  ]);
  return row?.cycle;
}

/** Whether the service has heard of the circle (kit `known_circles`). */
export async function isKnownCircle(db: Queryable, circleId: string): Promise<boolean> {
  return (await sqlRow(db, `SELECT 1 FROM known_circles WHERE circle_id = $1`, [circleId])) !== undefined;
}

/** Serialises reconsidering one circle's board until the transaction ends. */
export async function lockBoardSnapshot(tx: Queryable, circleId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sovereignty-board:${circleId}`]);
}

/** The members each published category counted (table `board_snapshot_members`; never published), by category. */
export async function snapshotMembers(tx: Queryable, circleId: string): Promise<Map<string, Set<string>>> {
  const rows = await sqlRows<{ category: string; memberId: string }>(
    tx,
    `SELECT category, member_id FROM board_snapshot_members WHERE circle_id = $1`,
    [circleId],
  );
  const published = new Map<string, Set<string>>();
  for (const row of rows) published.set(row.category, (published.get(row.category) ?? new Set()).add(row.memberId));
  return published;
}

/** Drops the published figures of these categories and the members they counted. */
export async function deleteSnapshots(tx: Queryable, circleId: string, categories: readonly string[]): Promise<void> {
  await tx.query(`DELETE FROM board_snapshots WHERE circle_id = $1 AND category = ANY($2::text[])`, [
    circleId,
    [...categories],
  ]);
  await tx.query(`DELETE FROM board_snapshot_members WHERE circle_id = $1 AND category = ANY($2::text[])`, [
    circleId,
    [...categories],
  ]);
}

/** Publishes a category's live counts, with the members they stand for. */
export async function insertSnapshot(
  tx: Queryable,
  circleId: string,
  counts: LiveCategoryNeeds,
  cycle: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO board_snapshots (circle_id, category, members, requests, requesters, reservations, reservers, taken_in_cycle) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      circleId,
      counts.category,
      counts.members,
      counts.requests,
      counts.requesters,
      counts.reservations,
      counts.reservers,
      cycle,
    ],
  );
  await tx.query(
    `INSERT INTO board_snapshot_members (circle_id, category, member_id) SELECT $1, $2, unnest($3::uuid[])`,
    [circleId, counts.category, [...counts.memberIds]],
  );
}

export async function markBoardReconsidered(tx: Queryable, circleId: string, cycle: string): Promise<void> {
  await tx.query(
    `INSERT INTO board_snapshot_cycles (circle_id, cycle) VALUES ($1, $2) ON CONFLICT (circle_id) DO UPDATE SET cycle = EXCLUDED.cycle`,
    [circleId, cycle],
  );
}
