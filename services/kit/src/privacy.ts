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
