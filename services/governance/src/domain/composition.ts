export type SeatKind = "EDGE" | "ADVANTAGED";

export interface SeatCounts {
  edge: number;
  advantaged: number;
}

/** Two seats from the edge for every advantaged seat. */
export function compositionHolds(seats: SeatCounts): boolean {
  return seats.edge >= 2 * seats.advantaged;
}

/**
 * Why a seat cannot be taken now, or undefined when it can. Never by bloc: a refusal that only an
 * advantaged member could meet would tell anyone watching the seats which bloc they are in. The
 * composition rule acts through what the body may decide (see decidingProblem).
 */
export function seatRefusal(seatsTaken: number, size: number): string | undefined {
  if (seatsTaken >= size) return `The body's ${size} seats are all taken.`;
  return undefined;
}

/** A body's composition as members read it: counted at a new moon, never live (see store/compositions.ts). */
export interface PublishedComposition {
  /** Members seated when it was counted. */
  seated: number;
  holds: boolean;
}

/** Whether a body can decide, by its composition as last counted (undefined before its first count), and if not, why. */
export function decidingProblem(published: PublishedComposition | undefined): string | undefined {
  if (!published)
    return "The body's seats are not counted yet: they are first counted when its first proposal is put, or at the next new moon.";
  if (published.seated === 0)
    return "Nobody held a seat in the body when its seats were last counted, at a new moon: it cannot decide until members take seats and a new moon counts them.";
  if (!published.holds)
    return "At its last count, at a new moon, the body was out of composition (fewer than two edge seats for every advantaged seat): it cannot decide until a later count finds it restored.";
  return undefined;
}
