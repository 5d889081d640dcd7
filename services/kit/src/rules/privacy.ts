/** No published figure may describe fewer people than this. */
export const MIN_PEOPLE_PER_PUBLISHED_FIGURE = 5;

/** The count itself when it describes at least 5 people, otherwise null (suppressed). */
export function suppressSmallCount(count: number, threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE): number | null {
  return count >= threshold ? count : null;
}

/** A figure derived from `peopleCount` people, published only when enough people stand behind it. */
export function publishIfEnoughPeople<T>(
  value: T,
  peopleCount: number,
  threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE,
): T | null {
  return peopleCount >= threshold ? value : null;
}

/*
 * The privacy rule for a private attribute (a member's bloc; who raised an alert, received from a
 * fund, pledged housing): a figure that counts people by it must not give it back, alone, beside
 * a total, or compared with an earlier figure.
 *
 * 1. Complementary suppression: a breakdown is shown whole or not at all. When any of its cells
 *    counts fewer than 5 people, every cell is null, so a total minus the shown cells gives
 *    nothing back.
 * 2. Closed-cycle snapshots: a breakdown describes the group as it stood at a cycle boundary, not
 *    now, so a join, a leave, an alert or a payment changes nothing anyone can read until the
 *    cycle closes.
 * 3. Changes in cohorts: a new snapshot replaces the published one only when at least 5 people
 *    joined, and 0 or at least 5 left (or, for events, at least 5 people acted), since the
 *    published one; otherwise the old one stays. Comparing two snapshots then tells something
 *    only about a group of 5 or more, never about one person.
 */

/** A breakdown shown whole when every cell counts at least 5 people, otherwise all null (complementary suppression). */
export function publishBreakdown<Cell extends string>(
  cells: Record<Cell, number>,
  threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE,
): Record<Cell, number | null> {
  const isShown = Object.values<number>(cells).every((count) => count >= threshold);
  return Object.fromEntries(
    Object.entries<number>(cells).map(([cell, count]) => [cell, isShown ? count : null]),
  ) as Record<Cell, number | null>;
}

/** People who joined or left a group since its published snapshot. */
export interface CohortChanges {
  joined: number;
  left: number;
}

/**
 * Whether a new snapshot may replace the published one: each change (joins, leaves) is either
 * none or at least 5 people, and something changed. Otherwise comparing the two would single out
 * fewer than 5 people.
 */
export function mayReplaceSnapshot(changes: CohortChanges, threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE): boolean {
  const isCohort = (count: number) => count === 0 || count >= threshold;
  return changes.joined + changes.left > 0 && isCohort(changes.joined) && isCohort(changes.left);
}

/**
 * The people behind one cell of a published table, in groups that must each be large enough on
 * their own (a loan cell's hosts and its borrowers). Ids are opaque; only their distinct count is used.
 */
export type PeopleBehindCell = ReadonlyArray<ReadonlyArray<string>>;

function standsForEnoughPeople(cells: readonly PeopleBehindCell[], threshold: number): boolean {
  const groupCount = Math.max(0, ...cells.map((groups) => groups.length));
  for (let group = 0; group < groupCount; group++) {
    const people = new Set<string>();
    for (const groups of cells) for (const id of groups[group] ?? []) people.add(id);
    if (people.size < threshold) return false;
  }
  return true;
}

function hasAnyone(groups: PeopleBehindCell): boolean {
  return groups.some((people) => people.length > 0);
}

/**
 * Which cells of a table may be shown (true) beside a total that is, or could be, known elsewhere.
 * Primary suppression: a cell whose every group does not stand for at least 5 distinct people is
 * hidden. Complementary suppression: when the hidden cells together stand for fewer than 5 people
 * in some group, "the total minus the shown cells" would give them back, so more cells are hidden,
 * the smallest first (fewest people, then the later cell), until the hidden ones together stand for
 * 5 people in every group, or nothing is shown. A table used this way must be read at one
 * precision only: a coarser cut of the same records is another table whose cells are parents of
 * these, and parent minus children would undo the suppression.
 */
export function cellsToPublish(
  cells: readonly PeopleBehindCell[],
  threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE,
): boolean[] {
  const isShown = cells.map((groups) => standsForEnoughPeople([groups], threshold));
  const hidden = () => cells.filter((groups, i) => !isShown[i] && hasAnyone(groups));
  const size = (groups: PeopleBehindCell) => groups.reduce((sum, people) => sum + new Set(people).size, 0);
  while (hidden().length > 0 && !standsForEnoughPeople(hidden(), threshold)) {
    let smallest = -1;
    for (let i = 0; i < cells.length; i++) {
      if (isShown[i] && (smallest === -1 || size(cells[i]) <= size(cells[smallest]))) smallest = i;
    }
    if (smallest === -1) break;
    isShown[smallest] = false;
  }
  return isShown;
}
