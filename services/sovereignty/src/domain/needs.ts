import { isRefusal, mayReplaceSnapshot, publishIfEnoughPeople, type Verdict } from "@rhizome/kit/rules";

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
export function checkNeed(draft: NeedDraft): Verdict<NeedDraft> {
  const category = normaliseCategory(draft.category);
  const title = draft.title.trim().replace(/\s+/g, " ");
  if (category.length === 0 || category.length > MAX_CATEGORY_LENGTH)
    return { problem: `A category is 1 to ${MAX_CATEGORY_LENGTH} letters or digits, e.g. "childcare".` };
  if (title.length === 0 || title.length > MAX_NEED_TITLE_LENGTH)
    return { problem: `A need's title is 1 to ${MAX_NEED_TITLE_LENGTH} characters; this one has ${title.length}.` };
  if (!Number.isInteger(draft.peopleWaiting) || draft.peopleWaiting < 1 || draft.peopleWaiting > MAX_PEOPLE_WAITING) {
    return {
      problem: `peopleWaiting must be a whole number from 1 to ${MAX_PEOPLE_WAITING}; got ${draft.peopleWaiting}.`,
    };
  }
  return { category, title, peopleWaiting: draft.peopleWaiting };
}

/** A need posted on a board that already holds `openNeeds`: checked, and refused when the board is full. */
export function needToPost(draft: NeedDraft, openNeeds: number): Verdict<NeedDraft> {
  const need = checkNeed(draft);
  if (isRefusal(need)) return need;
  if (openNeeds >= MAX_OPEN_NEEDS)
    return { problem: `A board holds at most ${MAX_OPEN_NEEDS} open needs; close some that were met first.` };
  return need;
}

/** A need comes off the board once: closing it again is a conflict. */
export function needToClose(need: { closedAt: Date | null }, now: Date): Verdict<{ closedAt: Date }> {
  if (need.closedAt !== null) return { problem: "This need is already off the board.", code: "CONFLICT" };
  return { closedAt: now };
}

/** Where a member's need was announced: an open barter request, or a tool reservation waiting in its queue. */
export const waitingNeedSources = ["REQUEST", "RESERVATION"] as const;
export type WaitingNeedSource = (typeof waitingNeedSources)[number];

/** The board's categories a need announced by a service counts in: normalised as posted needs are, each once; unusable tags dropped. */
export function categoriesOfNeed(tags: readonly string[]): string[] {
  const categories = tags
    .map(normaliseCategory)
    .filter((category) => category.length > 0 && category.length <= MAX_CATEGORY_LENGTH);
  return [...new Set(categories)];
}

/** Members' open needs in one category, before anything is suppressed. */
export interface WaitingCategoryCounts {
  category: string;
  requests: number;
  /** Distinct members behind the requests. */
  requesters: number;
  reservations: number;
  /** Distinct members behind the reservations. */
  reservers: number;
  /** Distinct members behind either (one with both counts once). */
  members: number;
}

export interface BoardCategoryFigures {
  category: string;
  /** Needs organizers posted. */
  openNeeds: number;
  /** People organizers said wait, summed; null below 5. */
  peopleWaiting: number | null;
  /** Distinct members with an open request or a waiting reservation; null below 5. */
  membersWaiting: number | null;
  openRequests: number | null;
  reservationsWaiting: number | null;
}

/** Zero when nobody stands behind it, the value when at least 5 do, otherwise null. */
function countOf(value: number, people: number): number | null {
  return people === 0 ? 0 : publishIfEnoughPeople(value, people);
}

/**
 * Members' needs in a category are published only when at least 5 distinct members stand behind
 * them; requests and reservations are a breakdown of them, shown whole or not at all, so a split
 * never singles out the one or two people behind one side.
 */
function publishWaiting(
  counts: WaitingCategoryCounts | undefined,
): Pick<BoardCategoryFigures, "membersWaiting" | "openRequests" | "reservationsWaiting"> {
  const membersWaiting = counts ? publishIfEnoughPeople(counts.members, counts.members) : null;
  if (!counts || membersWaiting === null)
    return { membersWaiting: null, openRequests: null, reservationsWaiting: null };
  const openRequests = countOf(counts.requests, counts.requesters);
  const reservationsWaiting = countOf(counts.reservations, counts.reservers);
  const isWhole = openRequests !== null && reservationsWaiting !== null;
  return {
    membersWaiting,
    openRequests: isWhole ? openRequests : null,
    reservationsWaiting: isWhole ? reservationsWaiting : null,
  };
}

/**
 * The board's categories: those with a need organizers posted, and those where at least 5 distinct
 * members have a request open or a reservation waiting; a category behind which fewer people stand
 * does not appear at all. Sorted by what is published (people shown, then needs, then name), so the
 * order never gives away a suppressed number.
 */
export function boardCategories(
  posted: ReadonlyArray<{ category: string; peopleWaiting: number }>,
  waiting: readonly WaitingCategoryCounts[] = [],
): BoardCategoryFigures[] {
  const byCategory = new Map<string, { openNeeds: number; people: number }>();
  for (const need of posted) {
    const figures = byCategory.get(need.category) ?? { openNeeds: 0, people: 0 };
    figures.openNeeds += 1;
    figures.people += need.peopleWaiting;
    byCategory.set(need.category, figures);
  }
  const waitingByCategory = new Map(waiting.map((counts) => [counts.category, counts]));
  const categories = new Set([...byCategory.keys(), ...waitingByCategory.keys()]);
  const rows: BoardCategoryFigures[] = [];
  for (const category of categories) {
    const postedFigures = byCategory.get(category) ?? { openNeeds: 0, people: 0 };
    const members = publishWaiting(waitingByCategory.get(category));
    if (postedFigures.openNeeds === 0 && members.membersWaiting === null) continue;
    rows.push({
      category,
      openNeeds: postedFigures.openNeeds,
      peopleWaiting: publishIfEnoughPeople(postedFigures.people, postedFigures.people),
      ...members,
    });
  }
  const peopleShown = (row: BoardCategoryFigures) => (row.peopleWaiting ?? 0) + (row.membersWaiting ?? 0);
  const needsShown = (row: BoardCategoryFigures) =>
    row.openNeeds + (row.openRequests ?? 0) + (row.reservationsWaiting ?? 0);
  return rows.sort(
    (a, b) => peopleShown(b) - peopleShown(a) || needsShown(b) - needsShown(a) || a.category.localeCompare(b.category),
  );
}

/** Members' open needs in one category as they stand, with who stands behind them (never published). */
export interface LiveCategoryNeeds extends WaitingCategoryCounts {
  memberIds: readonly string[];
}

/**
 * Which categories' published figures a new count replaces at the new moon (kit privacy rule 3):
 * those where at least 5 members came and none or at least 5 left since the published one, or at
 * least 5 left and none or at least 5 came. Elsewhere the published figure stays, so comparing two
 * boards tells something only about a group of 5 or more people, never about one member's need.
 */
export function categoriesToReplace(
  published: ReadonlyMap<string, ReadonlySet<string>>,
  live: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const categories = new Set([...published.keys(), ...live.keys()]);
  return [...categories].filter((category) => {
    const before = published.get(category) ?? new Set<string>();
    const now = live.get(category) ?? new Set<string>();
    const joined = [...now].filter((member) => !before.has(member)).length;
    const left = [...before].filter((member) => !now.has(member)).length;
    return mayReplaceSnapshot({ joined, left });
  });
}
