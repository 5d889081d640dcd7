export const RESTART_FIRST_DELAY_MS = 1_000;
export const RESTART_MAX_DELAY_MS = 30_000;
/** A process that ran this long before it crashed counts as healthy: its next restart waits the first delay again. */
export const RESTART_RESET_AFTER_MS = 60_000;

/** The pause before the restart that follows `crashesInARow` crashes: 1 s, 2 s, 4 s ... at most 30 s. */
export function restartDelayMs(crashesInARow: number): number {
  return Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** Math.max(0, crashesInARow - 1));
}
