import { randomUUID } from "node:crypto";
import { IsNull, type DataSource } from "typeorm";
import { badInput, conflict } from "@rhizome/kit";
import { MAX_OPEN_NEEDS, type NeedDraft } from "../domain/needs.js";
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
