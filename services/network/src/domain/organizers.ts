import type { CircleRole } from "@rhizome/kit/rules";

/** The roles an organizer can give and take; "member" comes with membership and goes with leaving. */
export const assignableRoles = ["steward", "organizer"] as const satisfies readonly CircleRole[];
export type AssignableRole = (typeof assignableRoles)[number];

export type RoleChange = { kind: "grant" | "revoke"; role: AssignableRole };

/** The member's roles after the change, in a stable order. */
export function rolesAfter(roles: readonly CircleRole[], change: RoleChange): CircleRole[] {
  if (change.kind === "revoke") return roles.filter((role) => role !== change.role);
  return roles.includes(change.role) ? [...roles] : [...roles, change.role];
}

export const LAST_ORGANIZER_ROLE_MESSAGE =
  "A circle needs at least one organizer; give the role to someone else first.";
export const LAST_ORGANIZER_LEAVING_MESSAGE =
  "You are this circle's last organizer and others remain: give the organizer role to another member before you leave.";

/**
 * Whether a role change keeps the circle organized. `otherOrganizers` counts the organizers other
 * than the member changed, read while the circle is locked so two changes cannot both rely on
 * each other.
 */
export function roleChangeProblem(
  rolesAfterChange: readonly CircleRole[],
  otherOrganizers: number,
): string | undefined {
  if (!rolesAfterChange.includes("organizer") && otherOrganizers === 0) return LAST_ORGANIZER_ROLE_MESSAGE;
  return undefined;
}

/** Whether a member may leave: the last organizer stays while anyone else remains. */
export function leavingProblem(
  leaver: { roles: readonly CircleRole[] },
  circle: { otherOrganizers: number; otherMembers: number },
): string | undefined {
  const isLastOrganizer = leaver.roles.includes("organizer") && circle.otherOrganizers === 0;
  if (isLastOrganizer && circle.otherMembers > 0) return LAST_ORGANIZER_LEAVING_MESSAGE;
  return undefined;
}
