export type SeatKind = "EDGE" | "ADVANTAGED";

export interface SeatCounts {
  edge: number;
  advantaged: number;
}

/** Two seats from the edge for every advantaged seat. */
export function compositionHolds(seats: SeatCounts): boolean {
  return seats.edge >= 2 * seats.advantaged;
}

/** Why a seat of this kind cannot be taken now, or undefined when it can. */
export function seatRefusal(seats: SeatCounts, kind: SeatKind, size: number): string | undefined {
  const taken = seats.edge + seats.advantaged;
  if (taken >= size) return `The body's ${size} seats are all taken.`;
  if (kind === "ADVANTAGED") {
    const after = { edge: seats.edge, advantaged: seats.advantaged + 1 };
    if (!compositionHolds(after)) {
      return `This body keeps two edge seats for every advantaged seat: it has ${seats.edge} edge and ${seats.advantaged} advantaged, so another advantaged seat needs ${2 * after.advantaged - seats.edge} more edge seat(s) first.`;
    }
    if (after.edge + after.advantaged > size || 2 * after.advantaged > size - after.advantaged) {
      return `This body's ${size} seats leave no room for another advantaged seat beside the two edge seats it needs.`;
    }
  }
  return undefined;
}

/** Whether a body can decide, and if not, what to do about it. */
export function decidingProblem(seats: SeatCounts): string | undefined {
  if (seats.edge + seats.advantaged === 0) return "The body has no one seated: it cannot decide until members take seats.";
  if (!compositionHolds(seats)) return "The body is out of composition (fewer than two edge seats for every advantaged seat): it cannot decide until edge members take seats or it is restored.";
  return undefined;
}
