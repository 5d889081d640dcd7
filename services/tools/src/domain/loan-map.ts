import { publishIfEnoughPeople } from "@rhizome/kit";
import { MAX_GEOHASH_LENGTH } from "./catalogue.js";

export interface LoanCellCount {
  cell: string;
  loans: number;
  /** Distinct members (borrowers and hosts) behind the cell's loans. */
  members: number;
}

export const DEFAULT_MAP_PRECISION = 5;

export function mapPrecisionProblem(precision: number): string | undefined {
  return Number.isInteger(precision) && precision >= 1 && precision <= MAX_GEOHASH_LENGTH
    ? undefined
    : `The map's precision is a geohash length from 1 to ${MAX_GEOHASH_LENGTH}; got ${precision}.`;
}

/** The cells that may be published: a cell behind which fewer than 5 members stand is left out entirely. */
export function publishLoanCells(counts: readonly LoanCellCount[]): Array<{ cell: string; loans: number }> {
  return counts
    .map((count) => publishIfEnoughPeople({ cell: count.cell, loans: count.loans }, count.members))
    .filter((cell): cell is { cell: string; loans: number } => cell !== null)
    .sort((a, b) => a.cell.localeCompare(b.cell));
}
