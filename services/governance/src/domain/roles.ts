import { boundedText, isRefusal, type Verdict } from "@rhizome/kit/rules";
import { MAX_COMPOST_REASONS_LENGTH, MAX_ROLE_HOLDERS, MAX_ROLE_NAME_LENGTH } from "./limits.js";

export interface RoleShape<Power extends string> {
  name: string;
  powers: readonly Power[];
  holderCount: number;
  hasBlocQuota: boolean;
}

/**
 * A new role's holders, powers and name within their limits. A role never has a bloc quota: its public
 * draw would show who was passed over for their seat kind.
 */
export function checkedRole<Power extends string>(shape: RoleShape<Power>): Verdict<RoleShape<Power>> {
  if (!Number.isInteger(shape.holderCount) || shape.holderCount < 1 || shape.holderCount > MAX_ROLE_HOLDERS)
    return { problem: `A role has 1 to ${MAX_ROLE_HOLDERS} holders; got ${shape.holderCount}.` };
  if (shape.powers.length === 0) return { problem: "A role grants at least one power." };
  if (shape.hasBlocQuota)
    return {
      problem:
        "A role cannot have a bloc quota: its public draw would show who was passed over for their seat kind. Its holders are drawn from all the members seated in the body, passing over nobody.",
    };
  const name = boundedText("A role's name", shape.name, MAX_ROLE_NAME_LENGTH);
  return isRefusal(name) ? name : { ...shape, name, powers: [...new Set(shape.powers)] };
}

/** The reasons a role is composted with, for a role still active (a CONFLICT otherwise). */
export function compostReasons(role: { status: "ACTIVE" | "COMPOSTED" }, reasons: string): Verdict<string> {
  const text = boundedText("The reasons", reasons, MAX_COMPOST_REASONS_LENGTH);
  if (isRefusal(text)) return text;
  return role.status === "ACTIVE" ? text : { problem: "This role was already composted.", code: "CONFLICT" };
}

/** A role whose next draw witnesses may commit to: an active one (a CONFLICT otherwise). */
export function drawableRole<Role extends { status: "ACTIVE" | "COMPOSTED" }>(role: Role): Verdict<Role> {
  return role.status === "ACTIVE"
    ? role
    : { problem: "This role was composted; it is no longer drawn.", code: "CONFLICT" };
}
