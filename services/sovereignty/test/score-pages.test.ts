import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCycleOnce, runCyclePage, type LunarCycle } from "@rhizome/kit";
import { closeCycleScores, scoresJob } from "../src/jobs/scores.js";
import { deliver, exchange, loan, members } from "./support/events.js";
import { startSovereignty, type SovereigntyTestService } from "./support/service.js";

// The new moon's closing of figures for a page of circles in one transaction, against each circle's own run.
let service: SovereigntyTestService;
let cycle: LunarCycle;

beforeAll(async () => {
  ({ service, cycle } = await startSovereignty());
});
afterAll(async () => {
  await service?.stop();
});

/** Three circles known to the service: two with exchanges and a loan in the cycle, one with nothing. */
async function threeCircles(): Promise<string[]> {
  const circles = [randomUUID(), randomUUID(), randomUUID()];
  const at = new Date(cycle.startsAt.getTime() + 3_600_000);
  const [m1, m2, m3, m4] = members(4);
  await deliver(service.runtime.db, [
    exchange(circles[0], cycle.label, 60, [m1, m2], at),
    exchange(circles[0], cycle.label, 30, [m3, m4], at),
    loan(circles[0], cycle.label, [m1, m3], at),
    exchange(circles[1], cycle.label, 45, [m2, m3], at),
  ]);
  for (const circleId of circles)
    await service.runtime.db.query(
      `INSERT INTO known_circles (circle_id, first_seen_at) VALUES ($1, $2) ON CONFLICT (circle_id) DO NOTHING`,
      [circleId, cycle.startsAt],
    );
  return circles;
}

async function written(circleIds: readonly string[]) {
  const db = service.runtime.db;
  const scores: Array<{ circle_id: string; figures: unknown }> = await db.query(
    `SELECT circle_id, figures FROM cycle_scores WHERE circle_id = ANY($1::uuid[]) ORDER BY circle_id`,
    [circleIds],
  );
  const published: Array<{ circle_id: string; metric: string; value: number }> = await db.query(
    `SELECT circle_id, metric, value FROM published_figures WHERE circle_id = ANY($1::uuid[]) ORDER BY circle_id, metric`,
    [circleIds],
  );
  const runs: Array<{ circle_id: string; finished: boolean }> = await db.query(
    `SELECT circle_id, finished_at IS NOT NULL AS finished FROM cycle_runs WHERE purpose = 'scores' AND circle_id = ANY($1::uuid[]) ORDER BY circle_id`,
    [circleIds],
  );
  return { scores, published, runs };
}

describe("closing the figures of a page of circles", () => {
  it("closes each circle's figures as its own run does, and a crash inside the page leaves nothing", async () => {
    const circles = await threeCircles();
    let inside: Map<string, unknown> | undefined;
    await expect(
      closeCycleScores(service.runtime.db, circles, cycle.label, cycle.endsAt, (outcomes) => {
        inside = new Map(outcomes);
        throw new Error("the worker died before the commit");
      }),
    ).rejects.toThrow("the worker died");
    expect(inside?.size).toBe(3);
    expect(await written(circles)).toEqual({ scores: [], published: [], runs: [] });

    for (const circleId of circles) {
      const own = await runCycleOnce(
        service.runtime.db,
        scoresJob,
        circleId,
        cycle.label,
        cycle.endsAt,
        service.runtime.logger,
        service.runtime.registry,
      );
      expect(own.outcome).toEqual(inside!.get(circleId));
    }
    expect(inside!.get(circles[0])).toHaveProperty("EXCHANGES");
  });

  it("finishes each circle's run once through the kit's page, the same figures as alone, and a rerun writes nothing", async () => {
    const paged = await threeCircles();
    const alone = await threeCircles();
    const page = () =>
      runCyclePage(
        service.runtime.db,
        scoresJob,
        paged,
        cycle.label,
        cycle.endsAt,
        service.runtime.logger,
        service.runtime.registry,
      );
    const first = await page();
    expect(first.leftToOwnRuns).toEqual([]);
    expect(first.notInStep).toEqual([]);
    expect(first.finished.size).toBe(3);
    for (const circleId of alone)
      await runCycleOnce(
        service.runtime.db,
        scoresJob,
        circleId,
        cycle.label,
        cycle.endsAt,
        service.runtime.logger,
        service.runtime.registry,
      );
    const once = await written(paged);
    const own = await written(alone);
    expect(once.runs).toEqual([...paged].sort().map((circle_id) => ({ circle_id, finished: true })));
    // The same figures, circle by circle (both sets were played the same way, in the same order).
    const byStory = (w: typeof once, circles: string[]) =>
      circles.map((c) => ({
        figures: w.scores.find((s) => s.circle_id === c)?.figures,
        published: w.published.filter((p) => p.circle_id === c).map(({ metric, value }) => ({ metric, value })),
      }));
    expect(byStory(once, paged)).toEqual(byStory(own, alone));
    expect(byStory(once, paged)[0].figures).toHaveProperty("EXCHANGES");

    const again = await page();
    expect(again.finished.size).toBe(0);
    expect(await written(paged)).toEqual(once);
  });
});
