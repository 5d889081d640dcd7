import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import type { StoryReview, StoryReviewed } from "../domain/stories.js";

/** A member's story (table `stories`), stored only as the teller chose to tell it (names and places already replaced). */
export interface StoryRow {
  id: string;
  circleId: string;
  cycle: string;
  title: string;
  body: string;
  /** Null once the teller has left the circle. */
  tellerMemberId: string | null;
  tellerConsents: boolean;
  review: StoryReview;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  submittedAt: Date;
}

const STORY_COLUMNS = `id, circle_id, cycle, title, body, teller_member_id, teller_consents, review, reviewed_by, reviewed_at, submitted_at`;

export interface NewStory {
  circleId: string;
  cycle: string;
  /** Already told as the teller chose (domain/stories.ts): the replaced words never reach the table. */
  title: string;
  body: string;
  tellerMemberId: string;
  tellerConsents: boolean;
}

export async function insertStory(tx: Queryable, story: NewStory, now: Date): Promise<StoryRow> {
  const row = await sqlRow<StoryRow>(
    tx,
    `INSERT INTO stories (id, circle_id, cycle, title, body, teller_member_id, teller_consents, review, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'AWAITING', $8) RETURNING ${STORY_COLUMNS}`,
    [
      randomUUID(),
      story.circleId,
      story.cycle,
      story.title,
      story.body,
      story.tellerMemberId,
      story.tellerConsents,
      now,
    ],
  );
  if (!row) throw new Error("INSERT ... RETURNING answered no story.");
  return row;
}

/** The story, locked for the rest of the transaction; undefined for a wrong id. */
export function lockStory(tx: Queryable, storyId: string): Promise<StoryRow | undefined> {
  return sqlRow<StoryRow>(tx, `SELECT ${STORY_COLUMNS} FROM stories WHERE id = $1 FOR UPDATE`, [storyId]);
}

export async function updateStoryConsent(tx: Queryable, storyId: string, consents: boolean): Promise<void> {
  await tx.query(`UPDATE stories SET teller_consents = $2 WHERE id = $1`, [storyId, consents]);
}

export async function updateStoryReview(tx: Queryable, storyId: string, reviewed: StoryReviewed): Promise<void> {
  await tx.query(`UPDATE stories SET review = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $1`, [
    storyId,
    reviewed.review,
    reviewed.reviewedBy,
    reviewed.reviewedAt,
  ]);
}

export interface StoriesQuery {
  circleId: string;
  /** Published only (anyone), or every story the caller may see: all (stewards) or their own. */
  visibility: { kind: "published" } | { kind: "all" } | { kind: "publishedOrTold"; memberId: string };
  cycle?: string;
  after?: InstantCursor;
  limit: number;
}

/** A circle's stories, newest first. */
export function storiesOfCircle(db: Queryable, query: StoriesQuery): Promise<StoryRow[]> {
  const { visibility } = query;
  return sqlRows<StoryRow>(
    db,
    `SELECT ${STORY_COLUMNS} FROM stories
     WHERE circle_id = $1
       AND ($2 = 'all' OR (teller_consents AND review = 'APPROVED') OR ($2 = 'publishedOrTold' AND teller_member_id = $3::uuid))
       AND ($4::text IS NULL OR cycle = $4)
       AND ($5::timestamptz IS NULL OR (submitted_at, id) < ($5::timestamptz, $6::uuid))
     ORDER BY submitted_at DESC, id DESC
     LIMIT $7`,
    [
      query.circleId,
      visibility.kind,
      visibility.kind === "publishedOrTold" ? visibility.memberId : null,
      query.cycle ?? null,
      query.after?.at ?? null,
      query.after?.id ?? null,
      query.limit,
    ],
  );
}

/** The stories with these ids (already checked to be UUIDs), in no particular order. */
export function storiesByIds(db: Queryable, storyIds: readonly string[]): Promise<StoryRow[]> {
  return sqlRows<StoryRow>(db, `SELECT ${STORY_COLUMNS} FROM stories WHERE id = ANY($1::uuid[])`, [[...storyIds]]);
}
