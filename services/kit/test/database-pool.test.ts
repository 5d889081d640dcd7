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
