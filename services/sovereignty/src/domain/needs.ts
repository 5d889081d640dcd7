import { publishIfEnoughPeople } from "@rhizome/kit";

export const MAX_NEED_TITLE_LENGTH = 120;
export const MAX_CATEGORY_LENGTH = 40;
export const MAX_PEOPLE_WAITING = 10_000;
/** Open needs a circle's board holds at once. */
export const MAX_OPEN_NEEDS = 200;
/** Needs the board lists, newest first. */
export const BOARD_NEEDS_SHOWN = 50;

export interface NeedDraft {
  category: string;
  title: string;
  peopleWaiting: number;
}

/** A category as stored: lower case, words joined by dashes ("Child care" -> "child-care"). */
export function normaliseCategory(raw: string): string {
  return raw
    .trim()
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** The need as stored, or the problem to tell the organizer. */
export function checkNeed(draft: NeedDraft): NeedDraft | { problem: string } {
  const category = normaliseCategory(draft.category);
  const title = draft.title.trim().replace(/\s+/g, " ");
  if (category.length === 0 || category.length > MAX_CATEGORY_LENGTH) return { problem: `A category is 1 to ${MAX_CATEGORY_LENGTH} letters or digits, e.g. "childcare".` };
  if (title.length === 0 || title.length > MAX_NEED_TITLE_LENGTH) return { problem: `A need's title is 1 to ${MAX_NEED_TITLE_LENGTH} characters; this one has ${title.length}.` };
  if (!Number.isInteger(draft.peopleWaiting) || draft.peopleWaiting < 1 || draft.peopleWaiting > MAX_PEOPLE_WAITING) {
    return { problem: `peopleWaiting must be a whole number from 1 to ${MAX_PEOPLE_WAITING}; got ${draft.peopleWaiting}.` };
  }
  return { category, title, peopleWaiting: draft.peopleWaiting };
}

export interface BoardCategoryFigures {
  category: string;
  openNeeds: number;
  peopleWaiting: number | null;
}

/**
 * Open needs per category; a number of people below 5 is suppressed. Sorted by what is published
 * (people shown, then needs, then name), so the order never gives away a suppressed number.
 */
export function boardCategories(needs: ReadonlyArray<{ category: string; peopleWaiting: number }>): BoardCategoryFigures[] {
  const byCategory = new Map<string, { openNeeds: number; people: number }>();
  for (const need of needs) {
    const figures = byCategory.get(need.category) ?? { openNeeds: 0, people: 0 };
    figures.openNeeds += 1;
    figures.people += need.peopleWaiting;
    byCategory.set(need.category, figures);
  }
  return [...byCategory]
    .map(([category, figures]) => ({ category, openNeeds: figures.openNeeds, peopleWaiting: publishIfEnoughPeople(figures.people, figures.people) }))
    .sort((a, b) => (b.peopleWaiting ?? 0) - (a.peopleWaiting ?? 0) || b.openNeeds - a.openNeeds || a.category.localeCompare(b.category));
}
