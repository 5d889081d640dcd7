import { serviceUnavailable, unauthenticated } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import {
  failedLoginKey,
  LOGIN_UNAVAILABLE_MESSAGE,
  lockoutRefusal,
  WRONG_LOGIN_MESSAGE,
} from "../domain/login-attempts.js";
import { passphraseMatches, spendPassphraseCheckTime } from "../passphrases.js";
import { countLoginAttempt, forgetLoginAttempts, UNAVAILABLE } from "../store/login-attempts.js";
import { findMemberForLogin, type MemberRow } from "../store/members.js";
import { openSession, type SessionTokens } from "./sessions.js";

export interface LoginInput {
  circleSlug: string;
  handle: string;
  passphrase: string;
}

/**
 * Logs in to one circle; the access token covers every circle the person belongs to. Not one
 * transaction: the attempt is counted in Redis before the passphrase is checked (argon2, tens of
 * milliseconds, outside any transaction), and only a right one opens a session (one insert).
 */
export async function login(
  context: NetworkContext,
  input: LoginInput,
): Promise<SessionTokens & { member: MemberRow }> {
  const attemptsKey = failedLoginKey(input.circleSlug, input.handle);
  const counted = await countLoginAttempt(context.redis, attemptsKey);
  if (counted === UNAVAILABLE) throw serviceUnavailable(LOGIN_UNAVAILABLE_MESSAGE);
  const lockout = lockoutRefusal({ count: counted.attempt - 1, retryAfterSeconds: counted.retryAfterSeconds });
  if (lockout) throw unauthenticated(lockout);
  const member = await findMemberForLogin(context.db, input.circleSlug, input.handle);
  const matches =
    member?.passphraseHash && member.personId
      ? await passphraseMatches(member.passphraseHash, input.passphrase)
      : await spendPassphraseCheckTime(input.passphrase).then(() => false);
  if (!member?.personId || !matches) {
    context.logger.info({ attempt: counted.attempt }, "failed login");
    throw unauthenticated(WRONG_LOGIN_MESSAGE);
  }
  if ((await forgetLoginAttempts(context.redis, attemptsKey)) === UNAVAILABLE)
    throw serviceUnavailable(LOGIN_UNAVAILABLE_MESSAGE);
  const session = await openSession(
    context,
    context.db,
    { personId: member.personId, memberId: member.id },
    context.clock(),
  );
  return { ...session, member };
}
