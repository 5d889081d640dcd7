import { formatMinutesAsHours } from "./minutes.js";

/** A circle's bounds on every member balance, so nobody hoards or sinks too far within a cycle. */
export interface BalanceLimits {
  floorMinutes: number;
  ceilingMinutes: number;
}

export const DEFAULT_BALANCE_LIMITS: BalanceLimits = { floorMinutes: -10 * 60, ceilingMinutes: 20 * 60 };
/** Organizers may set limits up to 200 hours either way; beyond that a cycle's balance stops meaning much. */
export const MAX_LIMIT_MAGNITUDE_MINUTES = 200 * 60;

/** Why these limits cannot be set, or undefined when they can. */
export function balanceLimitsProblem(limits: BalanceLimits): string | undefined {
  const { floorMinutes, ceilingMinutes } = limits;
  if (!Number.isInteger(floorMinutes) || !Number.isInteger(ceilingMinutes)) return "Limits are whole minutes.";
  if (floorMinutes > 0) return `The floor must be zero or below; got ${formatMinutesAsHours(floorMinutes)}.`;
  if (ceilingMinutes < 0) return `The ceiling must be zero or above; got ${formatMinutesAsHours(ceilingMinutes)}.`;
  const bound = formatMinutesAsHours(MAX_LIMIT_MAGNITUDE_MINUTES);
  if (floorMinutes < -MAX_LIMIT_MAGNITUDE_MINUTES)
    return `The floor cannot be below -${bound}; got ${formatMinutesAsHours(floorMinutes)}.`;
  if (ceilingMinutes > MAX_LIMIT_MAGNITUDE_MINUTES)
    return `The ceiling cannot be above ${bound}; got ${formatMinutesAsHours(ceilingMinutes)}.`;
  return undefined;
}

/** Who is being told: the member whose balance it is, or the other party to the exchange. */
export type Audience = "owner" | "counterpart";

export interface ExchangeSides {
  provider: { balanceMinutes: number; audience: Audience };
  receiver: { balanceMinutes: number; audience: Audience };
  minutes: number;
}

/**
 * Why confirming an exchange would push the provider above the ceiling or the receiver below the
 * floor, or undefined when it fits. Only the owner of a balance is told its figure.
 */
export function exchangeLimitProblem(sides: ExchangeSides, limits: BalanceLimits): string | undefined {
  const { provider, receiver, minutes } = sides;
  if (receiver.balanceMinutes - minutes < limits.floorMinutes) {
    const floor = formatMinutesAsHours(limits.floorMinutes);
    return receiver.audience === "owner"
      ? `Exchange would take your balance below the circle's floor of ${floor} (your balance ${formatMinutesAsHours(receiver.balanceMinutes)}).`
      : `Exchange would take the receiver below the circle's floor of ${floor}; they can receive less for now.`;
  }
  if (provider.balanceMinutes + minutes > limits.ceilingMinutes) {
    const ceiling = formatMinutesAsHours(limits.ceilingMinutes);
    return provider.audience === "owner"
      ? `Exchange would take your balance above the circle's ceiling of ${ceiling} (your balance ${formatMinutesAsHours(provider.balanceMinutes)}).`
      : `Exchange would take the provider above the circle's ceiling of ${ceiling}; they can provide less for now.`;
  }
  return undefined;
}
