import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  commitmentOf,
  cycleContaining,
  drawInOrder,
  drawSealKey,
  drawSeed,
  followingCycle,
  runCycleOnce,
  witnessCommitment,
} from "@rhizome/kit";
import { graphql } from "@rhizome/kit/testing";
import { roleRotationJob } from "../src/jobs/new-moon.js";
import { rotateRoles } from "../src/jobs/role-rotation.js";
import { circleWith, seatedBody, useGovernance, type Member } from "./support/hub.js";

/**
 * Attackers against role draws: a seated member who brings their own seed, a member who redraws
 * until they like the result, a last witness who grinds, a member who reads the new moon's draw in
 * advance, and a witness who withholds their reveal.
 */
const governance = useGovernance();

const CREATE_ROLE = `mutation ($input: CreateRoleInput!) { createRole(input: $input) { id } }`;
const HOLDERS = `query ($id: ID!) { body(id: $id) { roles { id holders { id } lastDraw { id status } } } }`;
const COMMIT = `mutation ($input: CommitRoleDrawSeedInput!) { commitRoleDrawSeed(input: $input) { id status witnesses { memberId commitment seed } } }`;
const REVEAL = `mutation ($input: RevealDrawSeedInput!) { revealDrawSeed(input: $input) { id witnesses { memberId revealedAt } } }`;
const DRAW = `query ($id: ID!) { draw(id: $id) { id status cycle pool rules commitment drawSeed drawnOrder holders witnesses { memberId commitment seed revealedAt } } }`;
const VERIFY = `query ($id: ID!) { verifyDraw(id: $id) { matches seedsMatchCommitments commitmentMatches orderMatches recomputedOrder } }`;
const NEXT_DRAW = `query ($id: ID!) { body(id: $id) { roles { nextDraw { id status witnesses { memberId commitment seed } } } } }`;

const randomSeed = () => randomBytes(16).toString("hex");

async function facilitatorRole() {
  const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", w1: "EDGE", w2: "EDGE", w3: "EDGE" });
  const { e1, e2, e3 } = circle.members;
  const body = await seatedBody(governance, circle, [e1, e2, e3], { decisionRule: "CONSENT" });
  const role = (
    await governance.ok(
      CREATE_ROLE,
      { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } },
      circle.organizer,
    )
  ).createRole as { id: string };
  return { circle, body, role };
}

async function holdersOf(bodyId: string, as: Member): Promise<string[]> {
  return (await governance.ok(HOLDERS, { id: bodyId }, as)).body.roles[0].holders.map((h: { id: string }) => h.id);
}

/** Runs the new moon that ends the current cycle; the clock moves to it. */
async function newMoon(circleId: string) {
  const { runtime } = governance.service;
  const cycle = cycleContaining(governance.clock());
  governance.clock.set(cycle.endsAt);
  await runCycleOnce(
    runtime.db,
    roleRotationJob,
    circleId,
    cycle.label,
    governance.clock(),
    runtime.logger,
    runtime.registry,
    runtime.config,
  );
  governance.clock.set(new Date(cycle.endsAt.getTime() + 60_000));
  return cycle;
}

describe("nobody steers a role's draw", () => {
  it("a seated member who opens a draw with a seed that puts their friend first does not seat the friend", async () => {
    const { circle, body, role } = await facilitatorRole();
    const { e1: attacker, e2: friend } = circle.members;
    // The attack as it worked: open a draw needing one seed, grind that seed offline from the published commitment and pool.
    const opened = await graphql(
      governance.service.url,
      `
        mutation ($input: OpenDrawInput!) {
          openDraw(input: $input) {
            id
            commitment
            pool
          }
        }
      `,
      { input: { roleId: role.id, seedsRequired: 1 } },
      attacker.token,
    );
    const draw = opened.body.data?.openDraw as { id: string; commitment: string; pool: string[] } | undefined;
    if (draw) {
      let seed = 0;
      while (drawInOrder(draw.pool, drawSeed(draw.commitment, [String(seed)]), 1)[0] !== friend.memberId) seed++;
      await graphql(
        governance.service.url,
        `
          mutation ($input: ContributeSeedInput!) {
            contributeSeed(input: $input) {
              id
            }
          }
        `,
        { input: { drawId: draw.id, seed: String(seed) } },
        attacker.token,
      );
    }
    expect(opened.body.errors?.[0]).toBeDefined();
    expect(await holdersOf(body.id, attacker)).toEqual([]);
  });

  it("no draw can be opened at once to undo a result: holders change only at the new moon", async () => {
    const { circle, body, role } = await facilitatorRole();
    const { w1, w2, w3 } = circle.members;
    for (const witness of [w1, w2, w3])
      await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomSeed() } }, witness);
    await newMoon(circle.id);
    const seated = await holdersOf(body.id, w1);
    expect(seated).toHaveLength(1);
    const loser = Object.values(circle.members).find(
      (m) => m.memberId !== seated[0] && ["e1", "e2", "e3"].some((k) => circle.members[k] === m),
    )!;

    // The loser tries every way to redraw: open a new draw, feed seeds to the frozen one, commit to it again.
    const lastDraw = (await governance.ok(HOLDERS, { id: body.id }, loser)).body.roles[0].lastDraw;
    expect(lastDraw.status).toBe("DRAWN");
    const reopen = await graphql(
      governance.service.url,
      `
        mutation ($input: OpenDrawInput!) {
          openDraw(input: $input) {
            id
          }
        }
      `,
      { input: { roleId: role.id, seedsRequired: 1 } },
      loser.token,
    );
    expect(reopen.body.errors?.[0]).toBeDefined();
    const seedAgain = await graphql(
      governance.service.url,
      `
        mutation ($input: ContributeSeedInput!) {
          contributeSeed(input: $input) {
            id
          }
        }
      `,
      { input: { drawId: lastDraw.id, seed: "1" } },
      loser.token,
    );
    expect(seedAgain.body.errors?.[0]).toBeDefined();
    // A commitment made now counts for the next new moon's draw, not this one.
    const next = (await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomSeed() } }, loser))
      .commitRoleDrawSeed;
    expect(next.id).not.toBe(lastDraw.id);
    expect(next.status).toBe("GATHERING");
    expect(await holdersOf(body.id, loser)).toEqual(seated);
    // The published draw cannot be changed underneath either.
    await expect(
      governance.service.runtime.db.query(`UPDATE witnessed_draws SET drawn_order = '[]' WHERE id = $1`, [lastDraw.id]),
    ).rejects.toThrow("cannot change");
  });

  it("the last witness sees no other seed before the pool is frozen, so grinding their own seed picks nothing", async () => {
    const { circle, body, role } = await facilitatorRole();
    const { w1, w2, w3: grinder } = circle.members;
    const honest = { [w1.memberId]: randomSeed(), [w2.memberId]: randomSeed() };
    await governance.ok(COMMIT, { input: { roleId: role.id, seed: honest[w1.memberId] } }, w1);
    await governance.ok(COMMIT, { input: { roleId: role.id, seed: honest[w2.memberId] } }, w2);

    // What the grinder can read: commitments only, and a commitment is a hash of a 128-bit seed.
    const visible = (await governance.ok(NEXT_DRAW, { id: body.id }, grinder)).body.roles[0].nextDraw;
    expect(visible.witnesses).toHaveLength(2);
    for (const witness of visible.witnesses) {
      expect(witness.seed).toBeNull();
      expect(witness.commitment).toBe(witnessCommitment(visible.id, witness.memberId, honest[witness.memberId]));
    }
    const readable = JSON.stringify((await governance.ok(DRAW, { id: visible.id }, grinder)).draw);
    for (const seed of Object.values(honest)) expect(readable).not.toContain(seed);

    // The grinder picks the seed that, with everything they can see, puts their friend first.
    const ground = "grind-".padEnd(32, "0");
    await governance.ok(COMMIT, { input: { roleId: role.id, seed: ground } }, grinder);
    await newMoon(circle.id);

    const drawn = (await governance.ok(DRAW, { id: visible.id }, grinder)).draw;
    const all = [...drawn.witnesses]
      .sort((a: { memberId: string }, b: { memberId: string }) => (a.memberId < b.memberId ? -1 : 1))
      .map((w: { seed: string }) => w.seed);
    expect(all).toContain(honest[w1.memberId]);
    const commitment = commitmentOf({
      drawId: drawn.id,
      purpose: `role:${role.id}`,
      cycle: drawn.cycle,
      pool: drawn.pool,
      rules: JSON.parse(drawn.rules),
    });
    expect(drawn.drawnOrder).toEqual(drawInOrder(drawn.pool, drawSeed(commitment, all), drawn.pool.length));
    expect(drawn.holders).toEqual(drawn.drawnOrder.slice(0, 1));
    expect((await governance.ok(VERIFY, { id: drawn.id })).verifyDraw).toMatchObject({
      matches: true,
      seedsMatchCommitments: true,
    });
  });

  it("the new moon's draw is not predictable from public data: without three witnesses nobody is drawn and holders carry over, published as such", async () => {
    const { circle, body, role } = await facilitatorRole();
    const { w1, w2, w3, e1 } = circle.members;
    for (const witness of [w1, w2, w3])
      await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomSeed() } }, witness);
    await newMoon(circle.id);
    const seated = await holdersOf(body.id, e1);

    // Only two witnesses this cycle; a member who leaves or takes a seat before the new moon cannot compute anything.
    await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomSeed() } }, w1);
    await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomSeed() } }, w2);
    const cycle = await newMoon(circle.id);
    const roles = (await governance.ok(HOLDERS, { id: body.id }, e1)).body.roles[0];
    expect(roles.holders.map((h: { id: string }) => h.id)).toEqual(seated);
    const carried = (await governance.ok(DRAW, { id: roles.lastDraw.id })).draw;
    expect(carried).toMatchObject({
      status: "CARRIED_OVER",
      cycle: cycle.label,
      drawnOrder: null,
      drawSeed: null,
      holders: seated,
    });
    expect(carried.witnesses).toHaveLength(2);

    // A cycle with no commitment at all is published as carried over too.
    const quiet = await newMoon(circle.id);
    const quietDraw = (await governance.ok(HOLDERS, { id: body.id }, e1)).body.roles[0].lastDraw;
    expect((await governance.ok(DRAW, { id: quietDraw.id })).draw).toMatchObject({
      status: "CARRIED_OVER",
      cycle: quiet.label,
      holders: seated,
    });
    expect(followingCycle(cycle).label).toBe(quiet.label);
  });

  it("a witness who withholds their reveal after seeing the others' changes nothing: the hub opens their sealed seed at the freeze", async () => {
    const { circle, body, role } = await facilitatorRole();
    const { w1, w2, w3: withholder } = circle.members;
    const seeds = new Map([w1, w2, withholder].map((w) => [w.memberId, randomSeed()]));
    let drawId = "";
    for (const witness of [w1, w2, withholder])
      drawId = (await governance.ok(COMMIT, { input: { roleId: role.id, seed: seeds.get(witness.memberId) } }, witness))
        .commitRoleDrawSeed.id;
    expect((await governance.refused(REVEAL, { input: { drawId, seed: seeds.get(w1.memberId) } }, w1)).code).toBe(
      "CONFLICT",
    );

    await newMoon(circle.id);
    const frozen = (await governance.ok(DRAW, { id: drawId })).draw;
    expect(frozen.status).toBe("DRAWN");
    expect(await holdersOf(body.id, w1)).toEqual(frozen.holders);

    // The others reveal; the withholder, having seen them, stays silent. Nothing moves.
    await governance.ok(REVEAL, { input: { drawId, seed: seeds.get(w1.memberId) } }, w1);
    await governance.ok(REVEAL, { input: { drawId, seed: seeds.get(w2.memberId) } }, w2);
    expect((await governance.refused(REVEAL, { input: { drawId, seed: randomSeed() } }, withholder)).code).toBe(
      "BAD_USER_INPUT",
    );
    const after = (await governance.ok(DRAW, { id: drawId })).draw;
    expect(after.drawnOrder).toEqual(frozen.drawnOrder);
    expect(after.holders).toEqual(frozen.holders);
    const silent = after.witnesses.find((w: { memberId: string }) => w.memberId === withholder.memberId);
    expect(silent).toMatchObject({ seed: seeds.get(withholder.memberId), revealedAt: null });
    expect(after.witnesses.filter((w: { revealedAt: string | null }) => w.revealedAt !== null)).toHaveLength(2);
    expect((await governance.ok(VERIFY, { id: drawId })).verifyDraw.matches).toBe(true);
  });

  it("a draw passes over nobody for their seat kind, so the public order and the holders say nothing about anyone's bloc", async () => {
    const circle = await circleWith({
      a1: "ADVANTAGED",
      e1: "EDGE",
      e2: "EDGE",
      e3: "EDGE",
      e4: "EDGE",
      w1: "EDGE",
      w2: "EDGE",
      w3: "EDGE",
    });
    const { a1, e1, e2, e3, e4, w1, w2, w3 } = circle.members;
    const body = await seatedBody(governance, circle, [e1, e2, a1, e3, e4], { decisionRule: "CONSENT" });
    // A quota would pass over whoever's seat kind breaks it, and the order against the holders would show who.
    const quota = await graphql(
      governance.service.url,
      CREATE_ROLE,
      {
        input: {
          bodyId: body.id,
          name: "stewards of the keys",
          powers: ["RECORD_MINUTES"],
          holderCount: 2,
          hasBlocQuota: true,
        },
      },
      circle.organizer.token,
    );
    expect(quota.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const role = (
      await governance.ok(
        CREATE_ROLE,
        { input: { bodyId: body.id, name: "facilitators", powers: ["OPEN_PROPOSALS"], holderCount: 2 } },
        circle.organizer,
      )
    ).createRole as { id: string };
    for (const witness of [w1, w2, w3])
      await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomSeed() } }, witness);
    await newMoon(circle.id);
    const lastDraw = (await governance.ok(HOLDERS, { id: body.id }, e1)).body.roles[0].lastDraw;
    const drawn = (await governance.ok(DRAW, { id: lastDraw.id }, e1)).draw;
    expect(drawn.holders).toEqual(drawn.drawnOrder.slice(0, 2));
    expect([...(await holdersOf(body.id, e1))].sort()).toEqual([...drawn.holders].sort());
    expect(drawn.rules).not.toMatch(/quota|kind|EDGE|ADVANTAGED/i);
  });

  it("a seal the hub cannot open (its secret changed during the cycle) counts as no witness, and the new moon still ends", async () => {
    const { circle, body, role } = await facilitatorRole();
    const { w1, w2, w3, e1 } = circle.members;
    let drawId = "";
    for (const witness of [w1, w2, w3])
      drawId = (await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomSeed() } }, witness))
        .commitRoleDrawSeed.id;
    const cycle = cycleContaining(governance.clock());
    governance.clock.set(cycle.endsAt);
    await rotateRoles(
      governance.service.runtime.db,
      drawSealKey("another secret, set while commitments were gathered"),
      circle.id,
      cycle.label,
      governance.clock(),
    );
    const carried = (await governance.ok(DRAW, { id: drawId })).draw;
    expect(carried).toMatchObject({ status: "CARRIED_OVER", drawnOrder: null, holders: [] });
    expect(carried.witnesses.map((w: { seed: string | null }) => w.seed)).toEqual([null, null, null]);
    expect(await holdersOf(body.id, e1)).toEqual([]);
  });
});
