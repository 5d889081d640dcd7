import { describe, expect, inject, it } from "vitest";
import pg from "pg";
import { Redis } from "ioredis";
import { createServer, type Server } from "node:net";
import { findFreePorts, startLocalStack } from "@rhizome/infra";

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

describe("the free ports a hub is given", () => {
  it("are distinct, free, and below the range the OS takes outgoing connections' ports from, so no connection opened meanwhile takes one", async () => {
    const ports = await findFreePorts(40);
    expect(new Set(ports).size).toBe(40);
    for (const port of ports) expect(port).toBeLessThan(32_768);
    // Each is free: a server can listen on it now.
    const servers = await Promise.all(
      ports.map(
        (port) =>
          new Promise<Server>((resolve, reject) => {
            const server = createServer();
            server.once("error", reject);
            server.listen(port, "127.0.0.1", () => resolve(server));
          }),
      ),
    );
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });
});
