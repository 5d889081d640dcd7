import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "@rhizome/kit";
import { startTestService, type TestService } from "@rhizome/kit/testing";
import type { NetworkConfig } from "../src/config.js";
import { endedSessionPruneJob, pruneEndedSessions } from "../src/jobs/prune-ended-sessions.js";
import { networkService } from "../src/service.js";
import { recordEndedSessions } from "../src/store/refresh-tokens.js";

const MINUTE_MS = 60_000;
const clock = manualClock(new Date("2031-03-01T12:00:00.000Z"));
const PRUNE_QUEUE = `network.${endedSessionPruneJob.purpose}`;
let service: TestService<NetworkConfig>;

beforeAll(async () => {
  // A database of its own: pruning deletes every ended session past the hour, other tests' too.
  service = await startTestService(networkService, {
    clock,
    ownDatabase: true,
    env: { ROLE: "api", LOG_LEVEL: "silent" },
  });
});

afterAll(async () => {
  await service?.stop();
});

/** One run of the repeating job as its scheduler queues it, processed on the service's clock. */
async function runPruneJob(): Promise<unknown> {
  const job = await service.runtime.queue(PRUNE_QUEUE).add("every", {});
  try {
    return await endedSessionPruneJob.process(job, service.runtime);
  } finally {
    await job.remove();
  }
}

const endedAgo = async (minutes: number): Promise<string> => {
  const sessionId = randomUUID();
  await recordEndedSessions(service.runtime.db, [sessionId], new Date(clock().getTime() - minutes * MINUTE_MS));
  return sessionId;
};

const stillEnded = async (sessionIds: string[]): Promise<string[]> =>
  (
    (await service.runtime.db.query(`SELECT session_id FROM ended_sessions WHERE session_id = ANY($1::uuid[])`, [
      sessionIds,
    ])) as Array<{ session_id: string }>
  ).map((row) => row.session_id);

describe("ended sessions", () => {
  it("are kept while an access token of theirs could still be presented, and forgotten after, by the repeating job", async () => {
    // Access tokens live at most an hour, whatever ACCESS_TOKEN_TTL_SECONDS says now.
    const recent = await endedAgo(59);
    const old = await endedAgo(61);

    expect(await runPruneJob()).toEqual({ deleted: 1 });
    expect(await stillEnded([recent, old])).toEqual([recent]);

    // Two minutes on, the other one's last token has expired too.
    clock.set(new Date(clock().getTime() + 2 * MINUTE_MS));
    expect(await runPruneJob()).toEqual({ deleted: 1 });
    expect(await stillEnded([recent])).toEqual([]);
  });

  it("are forgotten in batches until none past the hour is left", async () => {
    const old = await Promise.all([61, 62, 63, 64, 65].map(endedAgo));
    const recent = await endedAgo(30);
    // Two a statement: one statement alone would leave three behind.
    expect(await pruneEndedSessions(service.runtime.db, clock(), 2)).toBeGreaterThanOrEqual(old.length);
    expect(await stillEnded([...old, recent])).toEqual([recent]);
  });
});
