import type { Verdict } from "@rhizome/kit/rules";

/** Limits of a story, checked here and again by the table. */
export const MAX_STORY_TITLE_LENGTH = 120;
export const MAX_STORY_BODY_LENGTH = 4_000;
export const MAX_STORY_REPLACEMENTS = 50;
export const MAX_REPLACED_TEXT_LENGTH = 80;
/** What a handle or place the teller asked to remove becomes. */
export const REMOVED_TEXT = "[removed]";

export interface Replacement {
  /** A handle, a street, a shop: anything that could point at someone. */
  text: string;
  /** What to say instead ("a neighbour", "the corner shop"); empty or absent: removed. */
  replaceWith?: string | null;
}

export interface StoryDraft {
  title: string;
  body: string;
  replacements: readonly Replacement[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replaces each whole-word occurrence, in any letter case, of each text the teller named, in one
 * pass (so a replacement is never itself replaced), longest first ("Elm Street" wins over "Elm").
 */
export function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  if (replacements.length === 0) return text;
  const insteadOf = new Map<string, string>();
  for (const replacement of replacements)
    insteadOf.set(replacement.text.trim().toLocaleLowerCase(), replacement.replaceWith?.trim() || REMOVED_TEXT);
  const targets = [...insteadOf.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${targets.join("|")})(?![\\p{L}\\p{N}])`, "giu");
  return text.replace(pattern, (found) => insteadOf.get(found.toLocaleLowerCase()) ?? REMOVED_TEXT);
}

/**
 * The story as it will be stored and shown: the teller's replacements applied to title and body.
 * The words replaced are never stored. Returns the problem to tell the teller instead when the
 * story breaks a limit.
 */
export function tellStory(draft: StoryDraft): Verdict<{ title: string; body: string }> {
  if (draft.replacements.length > MAX_STORY_REPLACEMENTS)
    return {
      problem: `A story takes at most ${MAX_STORY_REPLACEMENTS} replacements; this one has ${draft.replacements.length}.`,
    };
  for (const replacement of draft.replacements) {
    const target = replacement.text.trim();
    if (target.length === 0) return { problem: "A replacement needs the text to replace." };
    if (
      target.length > MAX_REPLACED_TEXT_LENGTH ||
      (replacement.replaceWith ?? "").trim().length > MAX_REPLACED_TEXT_LENGTH
    ) {
      return {
        problem: `A replaced text and its replacement are at most ${MAX_REPLACED_TEXT_LENGTH} characters each.`,
      };
    }
  }
  const title = applyReplacements(draft.title, draft.replacements).trim();
  const body = applyReplacements(draft.body, draft.replacements).trim();
  if (title.length === 0 || body.length === 0) return { problem: "A story needs a title and a body." };
  if (title.length > MAX_STORY_TITLE_LENGTH)
    return {
      problem: `A story's title is at most ${MAX_STORY_TITLE_LENGTH} characters; this one has ${title.length}.`,
    };
  if (body.length > MAX_STORY_BODY_LENGTH)
    return { problem: `A story is at most ${MAX_STORY_BODY_LENGTH} characters; this one has ${body.length}.` };
  return { title, body };
}

export type StoryReview = "AWAITING" | "APPROVED" | "DECLINED";

/** A story shows only when its teller consents and a steward approved it. */
export function isStoryPublished(story: { tellerConsents: boolean; review: StoryReview }): boolean {
  return story.tellerConsents && story.review === "APPROVED";
}

export function storyStatus(story: {
  tellerConsents: boolean;
  review: StoryReview;
}): "AWAITING_REVIEW" | "PUBLISHED" | "DECLINED" | "WITHOUT_CONSENT" {
  if (story.review === "DECLINED") return "DECLINED";
  if (!story.tellerConsents) return "WITHOUT_CONSENT";
  return story.review === "APPROVED" ? "PUBLISHED" : "AWAITING_REVIEW";
}

/** Only the story's teller gives or withdraws consent (a teller who left the circle is nobody's). */
export function consentChange(
  story: { tellerMemberId: string | null },
  memberId: string,
  consents: boolean,
): Verdict<{ tellerConsents: boolean }> {
  if (story.tellerMemberId !== memberId)
    return { problem: "Only the story's teller can give or withdraw consent.", code: "FORBIDDEN" };
  return { tellerConsents: consents };
}

export interface StoryReviewed {
  review: "APPROVED" | "DECLINED";
  reviewedBy: string;
  reviewedAt: Date;
}

/** A steward other than the teller approves or declines a story awaiting review, once. */
export function reviewOfStory(
  story: { tellerMemberId: string | null; review: StoryReview },
  stewardId: string,
  approve: boolean,
  now: Date,
): Verdict<StoryReviewed> {
  if (story.tellerMemberId === stewardId)
    return { problem: "A story is reviewed by another steward than its teller.", code: "FORBIDDEN" };
  if (story.review !== "AWAITING")
    return {
      problem: `This story was already ${story.review === "APPROVED" ? "approved" : "declined"}.`,
      code: "CONFLICT",
    };
  return { review: approve ? "APPROVED" : "DECLINED", reviewedBy: stewardId, reviewedAt: now };
}
