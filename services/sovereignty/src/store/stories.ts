import { randomUUID } from "node:crypto";
import { In, type DataSource } from "typeorm";
import { conflict, forbidden, notFound, type InstantCursor } from "@rhizome/kit";
import { StoryRow } from "../entities/story.js";

export interface NewStory {
  circleId: string;
  cycle: string;
  /** Already told as the teller chose (domain/stories.ts): the replaced words never reach the table. */
  title: string;
  body: string;
  tellerMemberId: string;
  tellerConsents: boolean;
}

export async function submitStory(db: DataSource, story: NewStory, now: Date): Promise<StoryRow> {
  const row = Object.assign(new StoryRow(), {
    id: randomUUID(),
    ...story,
    review: "AWAITING" as const,
    reviewedBy: null,
    reviewedAt: null,
    submittedAt: now,
  });
  await db.getRepository(StoryRow).insert(row);
  return row;
}

const NO_STORY = "No story with that id in your circles.";

/** The teller gives or withdraws consent; withdrawing unpublishes at once. */
export async function setStoryConsent(
  db: DataSource,
  storyId: string,
  circleId: string,
  memberId: string,
  consents: boolean,
): Promise<StoryRow> {
  return db.transaction(async (manager) => {
    const story = await manager
      .getRepository(StoryRow)
      .findOne({ where: { id: storyId, circleId }, lock: { mode: "pessimistic_write" } });
    if (!story) throw notFound(NO_STORY);
    if (story.tellerMemberId !== memberId) throw forbidden("Only the story's teller can give or withdraw consent.");
    story.tellerConsents = consents;
    await manager.getRepository(StoryRow).update({ id: storyId }, { tellerConsents: consents });
    return story;
  });
}

/** A steward approves or declines a story awaiting review; nobody reviews their own. */
export async function reviewStory(
  db: DataSource,
  storyId: string,
  circleId: string,
  stewardId: string,
  approve: boolean,
  now: Date,
): Promise<StoryRow> {
  return db.transaction(async (manager) => {
    const story = await manager
      .getRepository(StoryRow)
      .findOne({ where: { id: storyId, circleId }, lock: { mode: "pessimistic_write" } });
    if (!story) throw notFound(NO_STORY);
    if (story.tellerMemberId === stewardId) throw forbidden("A story is reviewed by another steward than its teller.");
    if (story.review !== "AWAITING")
      throw conflict(`This story was already ${story.review === "APPROVED" ? "approved" : "declined"}.`);
    Object.assign(story, { review: approve ? "APPROVED" : "DECLINED", reviewedBy: stewardId, reviewedAt: now });
    await manager
      .getRepository(StoryRow)
      .update({ id: storyId }, { review: story.review, reviewedBy: stewardId, reviewedAt: now });
    return story;
  });
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
export function storiesOfCircle(db: DataSource, query: StoriesQuery): Promise<StoryRow[]> {
  const select = db
    .getRepository(StoryRow)
    .createQueryBuilder("s")
    .where("s.circleId = :circleId", { circleId: query.circleId })
    .orderBy("s.submittedAt", "DESC")
    .addOrderBy("s.id", "DESC")
    .limit(query.limit);
  const published = "(s.tellerConsents AND s.review = 'APPROVED')";
  if (query.visibility.kind === "published") select.andWhere(published);
  if (query.visibility.kind === "publishedOrTold")
    select.andWhere(`(${published} OR s.tellerMemberId = :teller)`, { teller: query.visibility.memberId });
  if (query.cycle) select.andWhere("s.cycle = :cycle", { cycle: query.cycle });
  if (query.after) select.andWhere("(s.submittedAt, s.id) < (:at, :id)", query.after);
  return select.getMany();
}

/** The stories with these ids (already checked to be UUIDs), in no particular order. */
export function storiesByIds(db: DataSource, storyIds: string[]): Promise<StoryRow[]> {
  return db.getRepository(StoryRow).findBy({ id: In(storyIds) });
}
