import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { InstantCursor } from "@rhizome/kit";
import type { TutorialDraft } from "../domain/tutorials.js";
import { TutorialRow } from "../entities/tutorial.js";
import { rememberMember } from "./members.js";

export async function publishTutorial(
  db: DataSource,
  circleId: string,
  authorMemberId: string,
  draft: TutorialDraft,
  now: Date,
): Promise<TutorialRow> {
  return db.transaction(async (manager) => {
    const row = Object.assign(new TutorialRow(), {
      id: randomUUID(),
      circleId,
      authorMemberId,
      ...draft,
      publishedAt: now,
    });
    await manager.getRepository(TutorialRow).insert(row);
    await rememberMember(manager, circleId, authorMemberId, now);
    return row;
  });
}

/** Tutorials of every circle in a category, newest first. */
export function tutorialsInCategory(
  db: DataSource,
  category: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<TutorialRow[]> {
  const select = db
    .getRepository(TutorialRow)
    .createQueryBuilder("t")
    .where(":category = ANY(t.categories)", { category })
    .orderBy("t.published_at", "DESC")
    .addOrderBy("t.id", "DESC")
    .limit(limit);
  if (after) select.andWhere("(t.published_at, t.id) < (:at, :id)", after);
  return select.getMany();
}
