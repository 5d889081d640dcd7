import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, drawSealKey, followingCycle, manualClock, runCycleOnce, runCyclePage } from "@rhizome/kit";
import { startTestService, succeed, testMember, type TestService } from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { caretakerDrawJob, drawCaretakersOfPage } from "../src/jobs/caretaker-draw.js";
import { toolsService } from "../src/service.js";

// The new moon's caretaker draws for a page of circles in one transaction, against each circle's own run.
const clock = manualClock(new Date("2032-03-10T12:00:00.000Z"));
let service: TestService<ToolsConfig>;
const VOLUNTEER = `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`;
const COMMIT = `mutation Commit($c: ID!, $s: String!) { commitCaretakerDrawSeed(circleId: $c, seed: $s) { id status } }`;
const ended = cycleContaining(clock());
const serving = followingCycle(ended);
const atNewMoon = new Date(serving.startsAt.getTime() + 60_000);

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});
afterAll(async () => {
  await service?.stop();
});

/** A circle known to the service with this many volunteers, of whom `witnesses` commit a seed during the ended cycle. */
async function circleOf(volunteers: number, witnesses: number): Promise<string> {
  const circleId = randomUUID();
  const members = await Promise.all(Array.from({ length: Math.max(1, volunteers) }, () => testMember(circleId)));
  for (const member of members.slice(0, volunteers))
    await succeed(service.url, VOLUNTEER, { c: circleId }, member.token);
  for (const member of members.slice(0, witnesses))
    await succeed(service.url, COMMIT, { c: circleId, s: randomBytes(16).toString("hex") }, member.token);
  await service.runtime.db.query(
    `INSERT INTO known_circles (circle_id, first_seen_at) VALUES ($1, $2) ON CONFLICT (circle_id) DO NOTHING`,
    [circleId, ended.startsAt],
  );
  return circleId;
}

/** Three circles: a drawn duo, a pool without witnesses (carried over), no volunteers at all. */
const threeCircles = async () => [await circleOf(5, 3), await circleOf(3, 0), await circleOf(0, 0)];

async function written(circleIds: readonly string[]) {
  const db = service.runtime.db;
  const draws: Array<{ circle_id: string; duo: string[]; seed: string | null }> = await db.query(
    `SELECT circle_id, duo, seed FROM caretaker_draws WHERE circle_id = ANY($1::uuid[]) ORDER BY circle_id`,
    [circleIds],
  );
  const frozen: Array<{ circle_id: string; status: string }> = await db.query(
    `SELECT circle_id, status FROM witnessed_draws WHERE circle_id = ANY($1::uuid[]) AND status <> 'GATHERING' ORDER BY circle_id`,
    [circleIds],
  );
  const runs: Array<{ circle_id: string; finished: boolean }> = await db.query(
    `SELECT circle_id, finished_at IS NOT NULL AS finished FROM cycle_runs WHERE purpose = 'caretakers' AND circle_id = ANY($1::uuid[]) ORDER BY circle_id`,
    [circleIds],
  );
  return { draws, frozen, runs };
}

describe("caretaker draws of a page of circles", () => {
  it("draw each circle's duo as its own run does, and a crash inside the page leaves nothing", async () => {
    const circles = await threeCircles();
    const key = drawSealKey(service.runtime.config.TOKEN_SECRET);
    let inside: Map<string, string[]> | undefined;
    await expect(
      drawCaretakersOfPage(service.runtime.db, key, circles, serving.label, atNewMoon, (drawn) => {
        inside = new Map([...drawn].map(([circleId, draw]) => [circleId, draw.duo]));
        throw new Error("the worker died before the commit");
      }),
    ).rejects.toThrow("the worker died");
    expect(inside?.get(circles[0])).toHaveLength(2);
    expect(await written(circles)).toEqual({ draws: [], frozen: [], runs: [] });

    // Each circle's own run, after the crash, draws exactly what the page had drawn.
    for (const circleId of circles) {
      const own = await runCycleOnce(
        service.runtime.db,
        caretakerDrawJob,
        circleId,
        ended.label,
        atNewMoon,
        service.runtime.logger,
        service.runtime.registry,
        service.runtime.config,
      );
      expect(own.outcome).toEqual({ cycle: serving.label, duoSize: inside!.get(circleId)!.length });
    }
    const after = await written(circles);
    expect(new Map(after.draws.map((d) => [d.circle_id, d.duo]))).toEqual(inside);
  });

  it("finish each circle's run once through the kit's page, and a rerun writes nothing", async () => {
    const circles = await threeCircles();
    const page = () =>
      runCyclePage(
        service.runtime.db,
        caretakerDrawJob,
        circles,
        ended.label,
        atNewMoon,
        service.runtime.logger,
        service.runtime.registry,
        service.runtime.config,
      );
    const first = await page();
    expect(first.leftToOwnRuns).toEqual([]);
    expect(first.notInStep).toEqual([]);
    expect([...first.finished.keys()].sort()).toEqual([...circles].sort());
    expect(first.finished.get(circles[0])).toEqual({ cycle: serving.label, duoSize: 2 });
    const once = await written(circles);
    expect(once.runs).toEqual([...circles].sort().map((circle_id) => ({ circle_id, finished: true })));
    expect(once.draws).toHaveLength(3);
    expect(once.frozen.map((d) => d.status).sort()).toEqual(["CARRIED_OVER", "CARRIED_OVER", "DRAWN"]);

    const again = await page();
    expect(again.finished.size).toBe(0);
    expect(await written(circles)).toEqual(once);
  });
});
