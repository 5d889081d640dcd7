/** Attempts checked per circle and handle within the window (counted before the check, so a race cannot pass more); a right passphrase forgets them. */
export const MAX_FAILED_LOGINS = 5;
export const FAILED_LOGIN_WINDOW_SECONDS = 15 * 60;

/** One key per circle and handle, whether or not the handle exists, so refusals reveal nothing. */
export function failedLoginKey(circleSlug: string, handle: string): string {
  return `network:failed-logins:${circleSlug.toLowerCase()}:${handle.toLowerCase()}`;
}

export function isLockedOut(failedAttempts: number): boolean {
  return failedAttempts >= MAX_FAILED_LOGINS;
}

export function lockoutMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many failed logins for this handle. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** Why a login is refused before the passphrase is even checked, or undefined to go on. */
export function lockoutRefusal(failures: { count: number; retryAfterSeconds: number }): string | undefined {
  return isLockedOut(failures.count) ? lockoutMessage(failures.retryAfterSeconds) : undefined;
}

export const WRONG_LOGIN_MESSAGE = "No member with that handle and passphrase in that circle.";

export const LOGIN_UNAVAILABLE_MESSAGE =
  "Logging in is unavailable for a moment (the hub cannot count attempts). Try again in a few seconds.";
