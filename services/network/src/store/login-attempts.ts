import type { Redis } from "ioredis";
import { FAILED_LOGIN_WINDOW_SECONDS } from "../domain/login-attempts.js";

/** Failed logins counted under `key` in the current window, and how long until the window ends. */
export async function failedLogins(redis: Redis, key: string): Promise<{ count: number; retryAfterSeconds: number }> {
  const [count, ttl] = await Promise.all([redis.get(key), redis.ttl(key)]);
  return { count: Number(count ?? 0), retryAfterSeconds: Math.max(0, ttl) };
}

/** Counts a failure. The window starts at the first failure and is not extended by later ones. */
export async function recordFailedLogin(redis: Redis, key: string): Promise<number> {
  const results = await redis.multi().set(key, 0, "EX", FAILED_LOGIN_WINDOW_SECONDS, "NX").incr(key).exec();
  return Number(results?.[1]?.[1] ?? 0);
}

export async function forgetFailedLogins(redis: Redis, key: string): Promise<void> {
  await redis.del(key);
}
