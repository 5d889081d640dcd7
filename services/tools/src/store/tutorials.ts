import { randomUUID } from "node:crypto";
import { newestFirstRows, sqlRow, type InstantCursor, type Queryable } from "@rhizome/kit";
import type { TutorialDraft } from "../domain/tutorials.js";

/** A repair tutorial in markdown, published for everyone. */
export interface TutorialRow extends TutorialDraft {
  id: string;
  circleId: string;
  authorMemberId: string;
  publishedAt: Date;
}

const TUTORIAL = `id, circle_id, author_member_id, title, markdown, categories, steps, published_at`;

export async function insertTutorial(
  tx: Queryable,
  circleId: string,
  authorMemberId: string,
  draft: TutorialDraft,
  now: Date,
): Promise<TutorialRow> {
  const row = await sqlRow<TutorialRow>(
    tx,
    `INSERT INTO tutorials (id, circle_id, author_member_id, title, markdown, categories, steps, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${TUTORIAL}`,
    [randomUUID(), circleId, authorMemberId, draft.title, draft.markdown, draft.categories, draft.steps, now],
  );
  return row!;
}

/** Tutorials of every circle in a category, newest first. */
export function tutorialsInCategory(
  db: Queryable,
  category: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<TutorialRow[]> {
  const list = {
    select: TUTORIAL,
    from: "tutorials",
    instantColumn: "published_at",
    where: {},
    whereHolds: { categories: category },
  };
  return newestFirstRows<TutorialRow>(db, list, after, limit);
}
