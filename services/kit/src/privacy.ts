/** No published figure may describe fewer people than this. */
export const MIN_PEOPLE_PER_PUBLISHED_FIGURE = 5;

/** The count itself when it describes at least 5 people, otherwise null (suppressed). */
export function suppressSmallCount(count: number, threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE): number | null {
  return count >= threshold ? count : null;
}

/** A figure derived from `peopleCount` people, published only when enough people stand behind it. */
export function publishIfEnoughPeople<T>(value: T, peopleCount: number, threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE): T | null {
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
export function publishBreakdown<Cell extends string>(cells: Record<Cell, number>, threshold = MIN_PEOPLE_PER_PUBLISHED_FIGURE): Record<Cell, number | null> {
  const isShown = Object.values<number>(cells).every((count) => count >= threshold);
  return Object.fromEntries(Object.entries<number>(cells).map(([cell, count]) => [cell, isShown ? count : null])) as Record<Cell, number | null>;
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
