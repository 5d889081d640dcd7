import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource, QueryRunner } from "typeorm";
import { openDatabase } from "../src/data/database.js";
import { freshDatabase } from "../src/testing/index.js";

describe("a service's database pool", () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openDatabase({
      url: await freshDatabase(),
      schema: "pooltest",
      entities: [],
      migrations: [],
      poolSize: 2,
    });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("when every connection is busy, makes a request wait and then refuses it, without taking Postgres for down", async () => {
    const held: QueryRunner[] = [];
    for (let i = 0; i < 2; i++) {
      const runner = db.createQueryRunner();
      await runner.connect();
      held.push(runner);
    }
    try {
      // Both connections are in use (a new moon's jobs, say): the request waits out the connect timeout.
      await expect(db.query("SELECT 1")).rejects.toThrow(/timeout exceeded when trying to connect/);
    } finally {
      for (const runner of held) await runner.release();
    }
    // Postgres was never down: the next request is answered at once, not refused as if it were.
    expect(await db.query("SELECT 1 AS answer")).toEqual([{ answer: 1 }]);
  });
});

describe("a service's first connection to Postgres", () => {
  let proxy: net.Server | undefined;
  afterAll(() => proxy?.close());

  it("is tried again when Postgres is too busy to answer in time at start-up, instead of the process exiting", async () => {
    const url = new URL(await freshDatabase());
    let connections = 0;
    const held: net.Socket[] = [];
    // Stands in for a Postgres busy with many processes starting at once: the first connection is
    // accepted and never answered, so it outlasts the connect timeout; later ones go through.
    proxy = net.createServer((client) => {
      connections += 1;
      if (connections === 1) {
        held.push(client);
        return;
      }
      const server = net.connect(Number(url.port), url.hostname);
      client.pipe(server).pipe(client);
      client.on("error", () => server.destroy());
      server.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy!.listen(0, "127.0.0.1", resolve));
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String((proxy.address() as net.AddressInfo).port);

    const db = await openDatabase({
      url: proxied.toString(),
      migrationUrl: url.toString(),
      schema: "firstconnect",
      entities: [],
      migrations: [],
    });
    try {
      expect(connections).toBeGreaterThanOrEqual(2);
      expect(await db.query("SELECT 1 AS answer")).toEqual([{ answer: 1 }]);
    } finally {
      await db.destroy();
      for (const socket of held) socket.destroy();
    }
  });

  it("fails at once when the database does not exist: that is no outage to wait out", async () => {
    const url = new URL(await freshDatabase());
    url.pathname = "/no_such_database";
    const started = performance.now();
    await expect(
      openDatabase({
        url: url.toString(),
        schema: "firstconnect",
        entities: [],
        migrations: [],
        migrationMode: "check",
      }),
    ).rejects.toThrow(/does not exist/);
    // Retried, it would take the whole minute of start-up tries.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
