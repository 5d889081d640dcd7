import type { Verdict } from "@rhizome/kit/rules";

/** A circle's defense settings. */
export interface DefenseSettings {
  verificationsNeeded: number;
  callTimeoutMinutes: number;
  fundApprovalsNeeded: number;
}

/** What each setting may be, inclusive. */
export const SETTING_BOUNDS: Readonly<Record<keyof DefenseSettings, readonly [number, number]>> = {
  verificationsNeeded: [1, 10],
  callTimeoutMinutes: [1, 120],
  fundApprovalsNeeded: [1, 10],
};

/** The settings after a change: each given value within its bounds, each omitted one as it was. */
export function changedSettings(
  change: Partial<Record<keyof DefenseSettings, number | null>>,
  current: DefenseSettings,
): Verdict<DefenseSettings> {
  for (const [name, [min, max]] of Object.entries(SETTING_BOUNDS)) {
    const value = change[name as keyof DefenseSettings];
    if (value !== undefined && value !== null && (value < min || value > max))
      return { problem: `${name} is ${min} to ${max}; got ${value}.` };
  }
  return {
    verificationsNeeded: change.verificationsNeeded ?? current.verificationsNeeded,
    callTimeoutMinutes: change.callTimeoutMinutes ?? current.callTimeoutMinutes,
    fundApprovalsNeeded: change.fundApprovalsNeeded ?? current.fundApprovalsNeeded,
  };
}
