import { suppressSmallCount } from "@rhizome/kit";

export const powerNodeKinds = [
  "LANDLORD",
  "EMPLOYER",
  "POLICE",
  "LENDER",
  "CREDIT_SCORE",
  "CLERGY",
  "OFFICIAL",
  "OTHER",
] as const;
export type PowerNodeKind = (typeof powerNodeKinds)[number];
export const powerFlows = ["RENT", "FINES", "WAGES", "DEBT", "GOSSIP", "OTHER"] as const;
export type PowerFlow = (typeof powerFlows)[number];

export interface PublishedCounts {
  total: number | null;
  edge: number | null;
  advantaged: number | null;
}

/**
 * How many members a node can arbitrarily say no to, as published: the total when at least 5; the
 * per-bloc counts only when BOTH are at least 5, so a shown total minus a shown bloc never reveals a
 * suppressed one.
 */
export function publishedCounts(edge: number, advantaged: number): PublishedCounts {
  const bothShown = suppressSmallCount(edge) !== null && suppressSmallCount(advantaged) !== null;
  return {
    total: suppressSmallCount(edge + advantaged),
    edge: bothShown ? edge : null,
    advantaged: bothShown ? advantaged : null,
  };
}
