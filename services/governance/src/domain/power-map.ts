import { boundedText, isRefusal, suppressSmallCount, type Verdict } from "@rhizome/kit/rules";
import { MAX_LABEL_LENGTH } from "./limits.js";

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

/** A node's label within its limit and at least one flow (each once) that gives it its weight. */
export function checkedPowerNode(
  label: string,
  flows: readonly PowerFlow[],
): Verdict<{ label: string; flows: PowerFlow[] }> {
  if (flows.length === 0)
    return {
      problem: "Name at least one flow that gives the node its weight (RENT, FINES, WAGES, DEBT, GOSSIP or OTHER).",
    };
  const checked = boundedText("A node's label", label, MAX_LABEL_LENGTH);
  return isRefusal(checked) ? checked : { label: checked, flows: [...new Set(flows)] };
}
