/**
 * During a circle's first six months only edge members amend the constitution: only edge seats respond
 * to and count for amendments. Anyone who may open proposals may put one to the vote, since a proposal
 * only an edge member could put would show its author's bloc to whoever saw them put it.
 */
export const EDGE_ONLY_MONTHS = 6;

/** The instant the circle's own rule takes over: six calendar months (UTC) after its founding. */
export function edgeOnlyUntil(foundedAt: Date): Date {
  const until = new Date(foundedAt);
  until.setUTCMonth(until.getUTCMonth() + EDGE_ONLY_MONTHS);
  return until;
}

/** Whether amendments are edge-only at `now`; a circle whose founding governance has not yet learned counts as new. */
export function isEdgeOnlyPeriod(foundedAt: Date | undefined, now: Date): boolean {
  return !foundedAt || now.getTime() < edgeOnlyUntil(foundedAt).getTime();
}

export const EDGE_ONLY_REFUSAL = `During a circle's first ${EDGE_ONLY_MONTHS} months only edge members decide amendments to its constitution.`;
