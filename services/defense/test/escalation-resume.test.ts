import { afterAll, describe, expect, it } from "vitest";
import { connectRedis, manualClock } from "@rhizome/kit";
import { eventually, hubEnvironment } from "@rhizome/kit/testing";
import { sweepOnce } from "../src/jobs/sweep.js";
import { escalateCall } from "../src/store/alerts.js";
import {
  api,
  branch,
  MINUTE_MS,
  newCircle,
  ops,
  responder,
  startDefense,
  storedCalls,
  TEST_START,
  type DefenseTestService,
} from "./support/defense.js";

const running: DefenseTestService[] = [];
afterAll(async () => {
  for (const service of running) await service.stop().catch(() => undefined);
});

type Call = { id?: string; step: number; responderId: string; escalatedAt: string | null };

describe("escalation across restarts", () => {
  it("resumes where Postgres says it was after the service, its workers and Redis's data are lost mid-escalation, and calls nobody twice", async () => {
    const clock = manualClock(TEST_START);
    const { service: first } = await startDefense({ clock });
    running.push(first);
    const circle = await newCircle();
    const root = await branch(first, circle, "block");
    const head = await responder(first, circle, root);
    const next = await responder(first, circle, root);
    const last = await responder(first, circle, root);
    const raiser = await circle.member();
    const alert = (
      await api(first).ok(
        ops.raise,
        {
          input: {
            circleId: circle.id,
            kind: "ARREST",
            place: "u4pruy",
            urgency: "HIGH",
            text: "Taken from the market",
          },
        },
        raiser,
      )
    ).raiseAlert;

    // The service dies, and Redis loses every job it had: the delayed escalation is gone.
    await first.stop();
    const redis = connectRedis(hubEnvironment().redisUrl);
    const keys = await redis.keys(`${first.queuePrefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    redis.disconnect();

    clock.advance(5 * MINUTE_MS);
    const { service: second } = await startDefense({ clock, env: { DATABASE_URL: first.databaseUrl } });
    running.push(second);
    const callsOf = async () => (await storedCalls(second, alert.id)) as Call[];
    const calls = await eventually(async () => {
      const current = await callsOf();
      return current.length === 2 ? current : undefined;
    }, "escalation to resume");
    expect(calls.map((c) => [c.step, c.responderId])).toEqual([
      [0, head.responderId],
      [1, next.responderId],
    ]);

    // Every duplicate trigger at once (the same step run again, the sweep, racing workers) is a no-op for a settled step,
    // and exactly one of them escalates the step that is now due.
    clock.advance(5 * MINUTE_MS);
    const [{ id: secondCallId }]: Array<{ id: string }> = await second.runtime.db.query(
      `SELECT id FROM alert_calls WHERE alert_id = $1 AND step = 1`,
      [alert.id],
    );
    const [{ id: firstCallId }]: Array<{ id: string }> = await second.runtime.db.query(
      `SELECT id FROM alert_calls WHERE alert_id = $1 AND step = 0`,
      [alert.id],
    );
    const outcomes = await Promise.all([
      ...[1, 2, 3].map(() => second.runtime.db.transaction((manager) => escalateCall(manager, secondCallId, clock()))),
      second.runtime.db.transaction((manager) => escalateCall(manager, firstCallId, clock())),
      sweepOnce(second.runtime),
    ]);
    const stepOutcomes = outcomes.slice(0, 4).map((o) => ("outcome" in o ? o.outcome : undefined));
    expect(stepOutcomes.slice(0, 3).filter((o) => o === "escalated").length).toBeLessThanOrEqual(1);
    expect(stepOutcomes[3]).toBe("settled");
    const final = await eventually(async () => {
      const current = await callsOf();
      return current.length === 3 ? current : undefined;
    }, "the third call");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await callsOf()).map((c) => [c.step, c.responderId])).toEqual([
      [0, head.responderId],
      [1, next.responderId],
      [2, last.responderId],
    ]);
    expect(final).toHaveLength(3);
    // Whoever raised it follows every step of the tree (without names).
    const log = (await api(second).ok(ops.alert, { id: alert.id }, raiser)).defenseAlert.log as Array<{ kind: string }>;
    expect(log.filter((entry) => entry.kind === "CALLED")).toHaveLength(3);
    expect(log.filter((entry) => entry.kind === "UNANSWERED")).toHaveLength(2);
    const inbox = (await api(second).ok(ops.inbox, {}, next)).myDefenseNotifications.items;
    expect(inbox.filter((n: { kind: string }) => n.kind === "CALL")).toHaveLength(1);
  });
});
