import { describe, expect, inject, it } from "vitest";
import pg from "pg";
import { Redis } from "ioredis";
import { startLocalStack } from "@rhizome/infra";

async function databaseAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query("SELECT 1 AS one")).rows[0].one === 1;
  } finally {
    await client.end();
  }
}

describe("the local stack", () => {
  it("uses the Postgres and Redis it is given instead of starting its own, and leaves them running", async () => {
    const databaseUrl = inject("databaseUrl");
    const redisUrl = inject("redisUrl");
    const stack = await startLocalStack({ ephemeral: true, databaseUrl, redisUrl });
    expect(stack.databaseUrl).toBe(databaseUrl);
    expect(stack.redisUrl).toBe(redisUrl);
    await stack.stop();

    expect(await databaseAnswers(databaseUrl)).toBe(true);
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    expect(await redis.ping()).toBe("PONG");
    redis.disconnect();
  });

  it("starts a throwaway Postgres and Redis of its own, and removes them when stopped", async () => {
    const stack = await startLocalStack({ ephemeral: true });
    expect(await databaseAnswers(stack.databaseUrl)).toBe(true);
    const redis = new Redis(stack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    expect(await redis.ping()).toBe("PONG");
    redis.disconnect();
    await stack.stop();
    await expect(databaseAnswers(stack.databaseUrl)).rejects.toThrow();
  }, 60_000);
});
