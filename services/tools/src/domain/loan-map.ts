import { cellsToPublish } from "@rhizome/kit/rules";
import { MAX_GEOHASH_LENGTH } from "./catalogue.js";

export interface LoanCellCount {
  cell: string;
  loans: number;
  /** Distinct hosts whose tools were lent from the cell (the cell is where they keep them). */
  hostIds: string[];
  /** Distinct borrowers of those loans. */
  borrowerIds: string[];
}

/**
 * The one precision of the map, in geohash characters (about 5 km by 5 km). It is fixed: a map a
 * reader could ask for at two precisions would let them subtract the finer cells from the coarser
 * and recover the ones left out.
 */
export const MAP_PRECISION = 5;
if (MAP_PRECISION > MAX_GEOHASH_LENGTH) throw new Error("The map cannot be finer than the places it is made of.");

/**
 * The cells that may be published: a cell stands for at least 5 distinct hosts and 5 distinct
 * borrowers (one host lending to many would otherwise publish that host's block), and when the
 * cells left out together stand for fewer, more are left out (kit `cellsToPublish`), so the
 * circle's total of loans minus the shown cells never gives a hidden one back.
 */
export function publishLoanCells(counts: readonly LoanCellCount[]): Array<{ cell: string; loans: number }> {
  const isShown = cellsToPublish(counts.map((count) => [count.hostIds, count.borrowerIds]));
  return counts
    .filter((_, i) => isShown[i])
    .map((count) => ({ cell: count.cell, loans: count.loans }))
    .sort((a, b) => a.cell.localeCompare(b.cell));
}
