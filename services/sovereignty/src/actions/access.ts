import { forbidden, requireMembership, type Caller, type Membership } from "@rhizome/kit";

/** Organizers and stewards keep the circle's ledger and review its stories. */
export function requireOrganizerOrSteward(caller: Caller, circleId: string, what: string): Membership {
  const membership = requireMembership(caller, circleId);
  if (!membership.roles.includes("organizer") && !membership.roles.includes("steward"))
    throw forbidden(`Only a circle's organizers and stewards can ${what}.`);
  return membership;
}

/** A circle id that is no UUID names no circle (and must not reach Postgres). */
export const NO_CIRCLE = "No circle with that id.";
