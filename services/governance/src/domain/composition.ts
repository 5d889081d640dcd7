export type SeatKind = "EDGE" | "ADVANTAGED";

export interface SeatCounts {
  edge: number;
  advantaged: number;
}

/**
 * The fewest seats a body's composition is ever computed for. Under it, one seat is a large share of
 * the body, so anything computed from its seats' kinds (whether it holds, whether it may decide, an
 * outcome) would give the last member's bloc to anyone who knows the others'. The kit's cohort size.
 */
export const MIN_SEATS_FOR_COMPOSITION = 5;

/** Two seats from the edge for every advantaged seat. */
export function compositionHolds(seats: SeatCounts): boolean {
  return seats.edge >= 2 * seats.advantaged;
}

/**
 * Why a seat cannot be taken now, or undefined when it can. Never by bloc: a refusal that only an
 * advantaged member could meet would tell anyone watching the seats which bloc they are in. The
 * composition rule acts through what the body may decide (see howBodyDecides).
 */
export function seatRefusal(seatsTaken: number, size: number): string | undefined {
  if (seatsTaken >= size) return `The body's ${size} seats are all taken.`;
  return undefined;
}

/** A body's composition as members read it: counted at a new moon, never live, published only as the kit's rule allows. */
export interface PublishedComposition {
  /** Members seated when it was counted (at least MIN_SEATS_FOR_COMPOSITION). */
  seated: number;
  holds: boolean;
}

/**
 * What a new moon's count of a body publishes, given its seats then and what it published before:
 * - under MIN_SEATS_FOR_COMPOSITION seats, nothing (the count keeps only how many sat);
 * - otherwise, when it published a composition before, a new one only after a cohort of seat changes
 *   since that one (`mayReplace`, the kit's rule), else the one published before stays;
 * - otherwise (its first publication), only when its seats changed by a cohort during the cycle that
 *   just ended (`cohortInLastCycle`), so that a body which reaches 5 seats because one member took the
 *   fifth publishes nothing that member's seat decides; it stays unpublished until a cohort moves.
 * Returns the composition to publish, "keep" for the one published before, or undefined for none.
 */
export function compositionToPublish(
  counts: SeatCounts,
  before: { published: PublishedComposition | undefined; mayReplace: boolean; cohortInLastCycle: boolean },
): PublishedComposition | "keep" | undefined {
  const seated = counts.edge + counts.advantaged;
  if (seated < MIN_SEATS_FOR_COMPOSITION) return undefined;
  const fresh = { seated, holds: compositionHolds(counts) };
  if (before.published) return before.mayReplace ? fresh : "keep";
  return before.cohortInLastCycle ? fresh : undefined;
}

/**
 * How a body decides now:
 * - OWN_RULE: by its decision rule, when it has at least MIN_SEATS_FOR_COMPOSITION seats and its
 *   published composition holds;
 * - EVERY_SEAT: by the consent of every seat (it passes unless a seat objects or vetoes, so every seat,
 *   the least powerful's included, holds a veto), when it has fewer seats or no published composition:
 *   nothing about its seats' kinds is ever computed into what it decides;
 * - CANNOT: nobody sits, or its published composition does not hold.
 * Read from the number of seats taken (which every member sees) and the published composition only.
 */
export type DecidingMode = { mode: "OWN_RULE" } | { mode: "EVERY_SEAT" } | { mode: "CANNOT"; problem: string };

export function howBodyDecides(seatedNow: number, published: PublishedComposition | undefined): DecidingMode {
  if (seatedNow === 0)
    return { mode: "CANNOT", problem: "Nobody holds a seat in the body: it cannot decide until members take seats." };
  if (seatedNow < MIN_SEATS_FOR_COMPOSITION || !published) return { mode: "EVERY_SEAT" };
  if (!published.holds)
    return {
      mode: "CANNOT",
      problem:
        "At its last published count, at a new moon, the body was out of composition (fewer than two edge seats for every advantaged seat): it cannot decide until a later count finds it restored.",
    };
  return { mode: "OWN_RULE" };
}

/** Why a body cannot decide now, or undefined when it can (see howBodyDecides). */
export function decidingProblem(seatedNow: number, published: PublishedComposition | undefined): string | undefined {
  const how = howBodyDecides(seatedNow, published);
  return how.mode === "CANNOT" ? how.problem : undefined;
}
