import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canonicalJson,
  checkWitnessedDraw,
  commitmentOf,
  cycleContaining,
  drawInOrder,
  drawSeed,
  followingCycle,
  manualClock,
  runCycleOnce,
} from "@rhizome/kit";
import {
  failure,
  graphql,
  startTestService,
  succeed,
  testMember,
  type TestMember,
  type TestService,
} from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { caretakerDrawJob } from "../src/jobs/caretaker-draw.js";
import { toolsService } from "../src/service.js";
import { drawWitnessedDuo } from "./support.js";

const clock = manualClock(new Date("2031-11-01T12:00:00.000Z"));
let service: TestService<ToolsConfig>;
const CARETAKERS = `query Duo($c: ID!, $cycle: String) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { caretakers(cycle: $cycle) { cycle caretakers { id } drawId wasCarriedOver volunteerIds previousDuoIds commitment seed } } } }`;
const NEXT_DRAW = `query Next($c: ID!) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { nextCaretakerDraw { id status witnesses { memberId commitment seed } } } } }`;
const DRAW = `query Draw($id: ID!) { caretakerDraw(id: $id) { id status cycle pool rules commitment drawSeed drawnOrder caretakers witnesses { memberId commitment seed revealedAt } } }`;
const COMMIT = `mutation Commit($c: ID!, $s: String!) { commitCaretakerDrawSeed(circleId: $c, seed: $s) { id status } }`;
const REVEAL = `mutation Reveal($id: ID!, $s: String!) { revealCaretakerDrawSeed(drawId: $id, seed: $s) { id } }`;
const witnessSeed = () => randomBytes(16).toString("hex");
const VOLUNTEER = `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`;
const WITHDRAW = `mutation W($c: ID!) { withdrawAsCaretaker(circleId: $c) }`;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});

afterAll(async () => {
  await service?.stop();
});

const run = (circleId: string, cycle: string, now: Date) =>
  runCycleOnce(
    service.runtime.db,
    caretakerDrawJob,
    circleId,
    cycle,
    now,
    service.runtime.logger,
    service.runtime.registry,
    service.runtime.config,
  );

/** Three members of the circle commit as witnesses, at the clock's current instant; returns their seeds by member id. */
async function witness(members: TestMember[]): Promise<Map<string, string>> {
  const seeds = new Map<string, string>();
  for (const member of members) {
    const seed = witnessSeed();
    await succeed(service.url, COMMIT, { c: member.circleId, s: seed }, member.token);
    seeds.set(member.memberId, seed);
  }
  return seeds;
}

/** Recomputes a frozen caretaker draw from what it published, as a member would by hand. */
function recompute(draw: {
  id: string;
  cycle: string;
  pool: string[];
  rules: string;
  commitment: string;
  drawSeed: string;
  drawnOrder: string[];
  witnesses: Array<{ memberId: string; commitment: string; seed: string }>;
}) {
  return checkWitnessedDraw({
    drawId: draw.id,
    purpose: "caretakers",
    cycle: draw.cycle,
    pool: draw.pool,
    rules: JSON.parse(draw.rules),
    poolCommitment: draw.commitment,
    drawSeed: draw.drawSeed,
    order: draw.drawnOrder,
    witnesses: draw.witnesses,
  });
}

async function volunteers(count: number): Promise<TestMember[]> {
  const circleId = randomUUID();
  const members = await Promise.all(Array.from({ length: count }, () => testMember(circleId)));
  for (const member of members) await succeed(service.url, VOLUNTEER, { c: circleId }, member.token);
  return members;
}

describe("caretaker duos", () => {
  it("are drawn once per circle and cycle at the new moon, from witnesses' commitments made the cycle before, recomputable by any member, and rotate", async () => {
    const members = await volunteers(5);
    const circleId = members[0].circleId;
    const ended = cycleContaining(clock());
    const serving = followingCycle(ended);
    const atNewMoon = new Date(serving.startsAt.getTime() + 60_000);
    const seeds = await witness(members.slice(2, 5));

    const first = await run(circleId, ended.label, atNewMoon);
    const again = await run(circleId, ended.label, new Date(atNewMoon.getTime() + 3_600_000));
    expect(first).toMatchObject({ wasAlreadyFinished: false, outcome: { cycle: serving.label, duoSize: 2 } });
    expect(again).toMatchObject({ wasAlreadyFinished: true, outcome: first.outcome });
    const rows: unknown[] = await service.runtime.db.query(`SELECT 1 FROM caretaker_draws WHERE circle_id = $1`, [
      circleId,
    ]);
    expect(rows).toHaveLength(1);

    clock.set(atNewMoon);
    const duo = (await succeed(service.url, CARETAKERS, { c: circleId }, members[0].token))._entities[0].caretakers;
    const pool = members.map((m) => m.memberId).sort();
    expect(duo).toMatchObject({ cycle: serving.label, volunteerIds: pool, wasCarriedOver: false });
    const draw = (await succeed(service.url, DRAW, { id: duo.drawId }, members[1].token)).caretakerDraw;
    expect(draw).toMatchObject({
      status: "DRAWN",
      cycle: ended.label,
      pool,
      commitment: duo.commitment,
      drawSeed: duo.seed,
    });
    expect(draw.rules).toBe(canonicalJson({ serves: serving.label, seats: 2, previousDuo: [] }));
    for (const w of draw.witnesses) expect(w.seed).toBe(seeds.get(w.memberId));
    expect(recompute(draw)).toMatchObject({ seedsMatchCommitments: true, commitmentMatches: true, orderMatches: true });
    expect(duo.caretakers.map((c: { id: string }) => c.id)).toEqual(draw.drawnOrder.slice(0, 2));
    const revealer = members[2];
    expect((await failure(service.url, REVEAL, { id: draw.id, s: witnessSeed() }, revealer.token)).code).toBe(
      "BAD_USER_INPUT",
    );
    await succeed(service.url, REVEAL, { id: draw.id, s: seeds.get(revealer.memberId) }, revealer.token);

    await witness(members.slice(0, 3));
    const next = followingCycle(serving);
    await run(circleId, serving.label, new Date(next.startsAt.getTime() + 60_000));
    clock.set(new Date(next.startsAt.getTime() + 60_000));
    const following = (await succeed(service.url, CARETAKERS, { c: circleId }, members[1].token))._entities[0]
      .caretakers;
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
    await service.runtime.db.query(
      `INSERT INTO cycle_runs (purpose, circle_id, cycle, started_at) VALUES ('caretakers', $1, $2, $3)`,
      [circleId, ended.label, atNewMoon],
    );
    const drawn = await drawWitnessedDuo(service, circleId, serving.label, atNewMoon);
    const quitter = members.find((m) => m.memberId === drawn.duo[0])!;
    await succeed(service.url, WITHDRAW, { c: circleId }, quitter.token);

    const rerun = await run(circleId, ended.label, new Date(atNewMoon.getTime() + 600_000));
    expect(rerun).toMatchObject({ wasAlreadyFinished: false, outcome: { cycle: serving.label, duoSize: 2 } });
    const [row]: Array<{ duo: string[] }> = await service.runtime.db.query(
      `SELECT duo FROM caretaker_draws WHERE circle_id = $1 AND cycle = $2`,
      [circleId, serving.label],
    );
    expect(row.duo).toEqual(drawn.duo);
  });
});

describe("nobody steers the caretaker draw", () => {
  it("volunteering or withdrawing before the new moon picks nothing: no public data predicts the duo", async () => {
    const members = await volunteers(6);
    const circleId = members[0].circleId;
    const [attacker, friend] = members;
    clock.set(
      new Date(followingCycle(followingCycle(followingCycle(cycleContaining(clock())))).startsAt.getTime() + 3_600_000),
    );
    const ended = cycleContaining(clock());
    const serving = followingCycle(ended);
    // Three honest witnesses commit (where the hub takes witnesses at all).
    for (const member of members.slice(3, 6))
      await graphql(service.url, COMMIT, { c: circleId, s: witnessSeed() }, member.token);

    // The attack: compute the duo from the volunteers and the cycle alone, and withdraw the friend if that puts the attacker in.
    const predict = (pool: string[]) => {
      const sorted = [...pool].sort();
      const seed = drawSeed(
        commitmentOf({ circleId, cycle: serving.label, volunteers: sorted, previousDuo: [], seats: 2 }),
        [serving.label],
      );
      return { seed, duo: drawInOrder(sorted, seed, 2) };
    };
    const everyone = members.map((m) => m.memberId);
    const withoutFriend = everyone.filter((id) => id !== friend.memberId);
    if (!predict(everyone).duo.includes(attacker.memberId) && predict(withoutFriend).duo.includes(attacker.memberId)) {
      await succeed(service.url, WITHDRAW, { c: circleId }, friend.token);
    }
    await run(circleId, ended.label, new Date(serving.startsAt.getTime() + 60_000));
    clock.set(new Date(serving.startsAt.getTime() + 60_000));
    const duo = (
      await succeed(
        service.url,
        `query Duo($c: ID!) { _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { caretakers { seed volunteerIds } } } }`,
        { c: circleId },
        attacker.token,
      )
    )._entities[0].caretakers;
    expect(duo.seed).not.toBe(predict(duo.volunteerIds).seed);
  });

  it("the last witness reads no seed before the new moon, and the duo is the one the sealed seeds give", async () => {
    const members = await volunteers(6);
    const circleId = members[0].circleId;
    clock.set(
      new Date(followingCycle(followingCycle(followingCycle(cycleContaining(clock())))).startsAt.getTime() + 3_600_000),
    );
    const ended = cycleContaining(clock());
    const serving = followingCycle(ended);
    const seeds = await witness(members.slice(3, 5));
    const visible = (await succeed(service.url, NEXT_DRAW, { c: circleId }, members[5].token))._entities[0]
      .nextCaretakerDraw;
    expect(visible.status).toBe("GATHERING");
    expect(visible.witnesses.map((w: { seed: string | null }) => w.seed)).toEqual([null, null]);
    const readable = JSON.stringify(
      (await succeed(service.url, DRAW, { id: visible.id }, members[5].token)).caretakerDraw,
    );
    for (const seed of seeds.values()) expect(readable).not.toContain(seed);
    await witness(members.slice(5, 6));

    await run(circleId, ended.label, new Date(serving.startsAt.getTime() + 60_000));
    clock.set(new Date(serving.startsAt.getTime() + 60_000));
    const draw = (await succeed(service.url, DRAW, { id: visible.id }, members[0].token)).caretakerDraw;
    expect(draw.status).toBe("DRAWN");
    expect(recompute(draw)).toMatchObject({ seedsMatchCommitments: true, commitmentMatches: true, orderMatches: true });
    const duo = (await succeed(service.url, CARETAKERS, { c: circleId }, members[0].token))._entities[0].caretakers;
    expect(duo.caretakers.map((c: { id: string }) => c.id)).toEqual(draw.caretakers);
  });

  it("with fewer than three witnesses nobody is drawn: last cycle's caretakers who still volunteer serve again, published as carried over", async () => {
    const members = await volunteers(5);
    const circleId = members[0].circleId;
    clock.set(
      new Date(
        followingCycle(followingCycle(followingCycle(followingCycle(cycleContaining(clock()))))).startsAt.getTime() +
          3_600_000,
      ),
    );
    const ended = cycleContaining(clock());
    const serving = followingCycle(ended);
    await witness(members.slice(2, 5));
    await run(circleId, ended.label, new Date(serving.startsAt.getTime() + 60_000));
    const first = (
      await service.runtime.db.query(`SELECT duo FROM caretaker_draws WHERE circle_id = $1 AND cycle = $2`, [
        circleId,
        serving.label,
      ])
    )[0].duo as string[];

    clock.set(new Date(serving.startsAt.getTime() + 3_600_000));
    await witness(members.slice(0, 2));
    const quitter = members.find((m) => m.memberId === first[1])!;
    await succeed(service.url, WITHDRAW, { c: circleId }, quitter.token);
    const next = followingCycle(serving);
    await run(circleId, serving.label, new Date(next.startsAt.getTime() + 60_000));
    clock.set(new Date(next.startsAt.getTime() + 60_000));
    const duo = (await succeed(service.url, CARETAKERS, { c: circleId }, members[0].token))._entities[0].caretakers;
    expect(duo).toMatchObject({ wasCarriedOver: true, seed: null, caretakers: [{ id: first[0] }] });
    const draw = (await succeed(service.url, DRAW, { id: duo.drawId }, members[0].token)).caretakerDraw;
    expect(draw).toMatchObject({
      status: "CARRIED_OVER",
      cycle: serving.label,
      drawnOrder: null,
      caretakers: [first[0]],
    });
    expect(draw.witnesses).toHaveLength(2);
  });
});
