import type { Redis } from "ioredis";
import { FAILED_LOGIN_WINDOW_SECONDS } from "../domain/login-attempts.js";

/** A login never waits longer than this on Redis: without its count, no passphrase is checked. */
export const LOGIN_REDIS_TIMEOUT_MS = 1_000;

/** What a login command answers while Redis is down or slower than the deadline. */
export const UNAVAILABLE = "unavailable";

/**
 * Runs a Redis command for a login, failing fast while Redis is down: the hub's Redis client
 * queues commands until it reconnects (the job queues need that), which would leave a login hanging.
 */
async function withinDeadline<T>(redis: Redis, command: () => Promise<T>): Promise<T | typeof UNAVAILABLE> {
  if (redis.status !== "ready") return UNAVAILABLE;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof UNAVAILABLE>((resolve) => {
    timer = setTimeout(() => resolve(UNAVAILABLE), LOGIN_REDIS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([command(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Counts an attempt before its passphrase is checked, in one atomic step, and says which attempt
 * of the window it is. Concurrent attempts each get their own number, so exactly as many are
 * checked as the limit allows, however many arrive at once. The window starts at the first
 * attempt and is not extended by later ones.
 */
export async function countLoginAttempt(
  redis: Redis,
  key: string,
): Promise<{ attempt: number; retryAfterSeconds: number } | typeof UNAVAILABLE> {
  const results = await withinDeadline(redis, () =>
    redis.multi().set(key, 0, "EX", FAILED_LOGIN_WINDOW_SECONDS, "NX").incr(key).ttl(key).exec(),
  );
  if (results === UNAVAILABLE) return UNAVAILABLE;
  const failed = results?.find(([error]) => error);
  if (!results || failed) throw failed?.[0] ?? new Error("Redis did not run the login attempt count.");
  return { attempt: Number(results[1][1]), retryAfterSeconds: Math.max(0, Number(results[2][1])) };
}

/** After a right passphrase: the attempts of the window are forgotten. */
export async function forgetLoginAttempts(redis: Redis, key: string): Promise<typeof UNAVAILABLE | undefined> {
  return (await withinDeadline(redis, () => redis.del(key))) === UNAVAILABLE ? UNAVAILABLE : undefined;
}
