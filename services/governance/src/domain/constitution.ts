/**
 * During a circle's first six months no amendment to the constitution passes against any edge member
 * of the body deciding it: it passes only by the consent of every seat (each seat, so every edge seat,
 * holds a veto). Counting edge seats alone would make an outcome or a count depend on which seats are
 * edge, and so give a member's bloc to anyone who knows the others'. Anyone who may open proposals may
 * put one to the vote.
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
