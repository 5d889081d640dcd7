import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitmentOf, cycleContaining, drawInOrder, drawSeed, followingCycle, manualClock, runCycleOnce } from "@rhizome/kit";
import { startTestService, succeed, testMember, type TestMember, type TestService } from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { caretakerDrawJob } from "../src/jobs/caretaker-draw.js";
import { toolsService } from "../src/service.js";
import { drawCaretakers } from "../src/store/caretakers.js";

const clock = manualClock(new Date("2031-11-01T12:00:00.000Z"));
let service: TestService<ToolsConfig>;
const CARETAKERS = `query Duo($c: ID!, $cycle: String) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { caretakers(cycle: $cycle) { cycle caretakers { id } volunteerIds previousDuoIds commitment seed } } } }`;
const VOLUNTEER = `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`;
const WITHDRAW = `mutation W($c: ID!) { withdrawAsCaretaker(circleId: $c) }`;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});

afterAll(async () => {
  await service?.stop();
});

const run = (circleId: string, cycle: string, now: Date) => runCycleOnce(service.runtime.db, caretakerDrawJob, circleId, cycle, now, service.runtime.logger, service.runtime.registry);

async function volunteers(count: number): Promise<TestMember[]> {
  const circleId = randomUUID();
  const members = await Promise.all(Array.from({ length: count }, () => testMember(circleId)));
  for (const member of members) await succeed(service.url, VOLUNTEER, { c: circleId }, member.token);
  return members;
}

describe("caretaker duos", () => {
  it("are drawn once per circle and cycle at the new moon, by a draw anyone can recompute, and rotate", async () => {
    const members = await volunteers(5);
    const circleId = members[0].circleId;
    const ended = cycleContaining(clock());
    const serving = followingCycle(ended);
    const atNewMoon = new Date(serving.startsAt.getTime() + 60_000);

    const first = await run(circleId, ended.label, atNewMoon);
    const again = await run(circleId, ended.label, new Date(atNewMoon.getTime() + 3_600_000));
    expect(first).toMatchObject({ wasAlreadyFinished: false, outcome: { cycle: serving.label, duoSize: 2 } });
    expect(again).toMatchObject({ wasAlreadyFinished: true, outcome: first.outcome });
    const rows: unknown[] = await service.runtime.db.query(`SELECT 1 FROM caretaker_draws WHERE circle_id = $1`, [circleId]);
    expect(rows).toHaveLength(1);

    clock.set(atNewMoon);
    const duo = (await succeed(service.url, CARETAKERS, { c: circleId }, members[0].token))._entities[0].caretakers;
    const pool = members.map((m) => m.memberId).sort();
    expect(duo.volunteerIds).toEqual(pool);
    const commitment = commitmentOf({ circleId, cycle: serving.label, volunteers: pool, previousDuo: [], seats: 2 });
    expect(duo).toMatchObject({ cycle: serving.label, commitment, seed: drawSeed(commitment, [serving.label]) });
    expect(duo.caretakers.map((c: { id: string }) => c.id)).toEqual(drawInOrder(pool, duo.seed, 2));

    const next = followingCycle(serving);
    await run(circleId, serving.label, new Date(next.startsAt.getTime() + 60_000));
    clock.set(new Date(next.startsAt.getTime() + 60_000));
    const following = (await succeed(service.url, CARETAKERS, { c: circleId }, members[1].token))._entities[0].caretakers;
    const served = duo.caretakers.map((c: { id: string }) => c.id);
    expect(following.previousDuoIds).toEqual([...served].sort());
    for (const caretaker of following.caretakers) expect(served).not.toContain(caretaker.id);
  });

  it("give the same duo when a run that died after drawing runs again, whoever withdrew meanwhile", async () => {
    const members = await volunteers(4);
    const circleId = members[0].circleId;
    const ended = followingCycle(followingCycle(cycleContaining(clock())));
    const serving = followingCycle(ended);
    const atNewMoon = new Date(serving.startsAt.getTime() + 60_000);
    // The killed run: its record started, its draw written, its record never finished.
    await service.runtime.db.query(`INSERT INTO cycle_runs (purpose, circle_id, cycle, started_at) VALUES ('caretakers', $1, $2, $3)`, [circleId, ended.label, atNewMoon]);
    const drawn = await drawCaretakers(service.runtime.db, circleId, serving.label, atNewMoon);
    const quitter = members.find((m) => m.memberId === drawn.duo[0])!;
    await succeed(service.url, WITHDRAW, { c: circleId }, quitter.token);

    const rerun = await run(circleId, ended.label, new Date(atNewMoon.getTime() + 600_000));
    expect(rerun).toMatchObject({ wasAlreadyFinished: false, outcome: { cycle: serving.label, duoSize: 2 } });
    const [row]: Array<{ duo: string[] }> = await service.runtime.db.query(`SELECT duo FROM caretaker_draws WHERE circle_id = $1 AND cycle = $2`, [circleId, serving.label]);
    expect(row.duo).toEqual(drawn.duo);
  });
});
