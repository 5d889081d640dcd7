import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { cycleContaining, runCycleOnce } from "@rhizome/kit";
import { graphql } from "@rhizome/kit/testing";
import { roleRotationJob } from "../src/jobs/new-moon.js";
import { CREATE_PROPOSAL, circleWith, seatedBody, useGovernance, type Member } from "./support/hub.js";

const governance = useGovernance();

const CREATE_ROLE = `mutation ($input: CreateRoleInput!) { createRole(input: $input) { id status } }`;
const COMMIT = `mutation ($input: CommitRoleDrawSeedInput!) { commitRoleDrawSeed(input: $input) { id status witnesses { memberId commitment seed } } }`;
const DRAW = `query ($id: ID!) { draw(id: $id) { id status cycle pool drawnOrder holders rules witnesses { memberId seed } } }`;
const VERIFY_DRAW = `query ($id: ID!) { verifyDraw(id: $id) { matches seedsMatchCommitments commitmentMatches orderMatches recomputedOrder } }`;
const ROLE_HOLDERS = `query ($id: ID!) { body(id: $id) { roles { id name status holders { id } compostReasons lastDraw { id status } nextDraw { id } } } }`;

const witnessSeed = () => randomBytes(16).toString("hex");

/** Runs the new moon that ends the current cycle for the circle's roles, and moves the clock just past it. */
async function newMoon(circleId: string) {
  const { runtime } = governance.service;
  const cycle = cycleContaining(governance.clock());
  governance.clock.set(cycle.endsAt);
  const run = await runCycleOnce(
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
  return { cycle, run };
}
const COMPOST = `mutation ($input: CompostRoleInput!) { compostRole(input: $input) { id status compostedAt compostReasons } }`;
const ARCHIVE = `query ($circleId: ID!) { compostArchive(circleId: $circleId) { items { id name compostReasons } } }`;

async function canOpenProposals(bodyId: string, member: Member): Promise<boolean> {
  const closesAt = new Date(governance.clock().getTime() + 3_600_000).toISOString();
  const response = await graphql(
    governance.service.url,
    CREATE_PROPOSAL,
    { input: { bodyId, title: "Round", text: "Next round", closesAt } },
    member.token,
  );
  if (response.body.errors) {
    expect(response.body.errors[0].extensions?.code).toBe("FORBIDDEN");
    return false;
  }
  return true;
}

describe("verifiable draws, rotation and composting (G2, G9)", () => {
  it("draw a facilitator at the new moon from witnesses' commitments; anyone recomputes it; a tampered draw shows; nobody redraws", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", w1: "EDGE", w2: "EDGE", w3: "ADVANTAGED" });
    const seated = [circle.members.e1, circle.members.e2, circle.members.e3];
    const body = await seatedBody(governance, circle, seated, { decisionRule: "CONSENT" });
    const role = (
      await governance.ok(
        CREATE_ROLE,
        { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } },
        circle.organizer,
      )
    ).createRole;
    expect(
      (
        await governance.refused(
          CREATE_ROLE,
          { input: { bodyId: body.id, name: "quota", powers: ["OPEN_PROPOSALS"], holderCount: 1, hasBlocQuota: true } },
          circle.organizer,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    // Before its first draw the role has no holders, and every seated member keeps the power.
    expect(await canOpenProposals(body.id, seated[1])).toBe(true);

    const witnesses = [circle.members.w1, circle.members.w2, circle.members.w3];
    expect(
      (await governance.refused(COMMIT, { input: { roleId: role.id, seed: "dice: 4 2 6" } }, witnesses[0])).code,
    ).toBe("BAD_USER_INPUT");
    let drawId = "";
    for (const witness of witnesses)
      drawId = (await governance.ok(COMMIT, { input: { roleId: role.id, seed: witnessSeed() } }, witness))
        .commitRoleDrawSeed.id;
    expect(
      (await governance.refused(COMMIT, { input: { roleId: role.id, seed: witnessSeed() } }, witnesses[0])).code,
    ).toBe("CONFLICT");
    const gathering = (await governance.ok(DRAW, { id: drawId })).draw;
    expect(gathering).toMatchObject({ status: "GATHERING", pool: null, drawnOrder: null, holders: null });
    expect(gathering.witnesses.map((w: { seed: string | null }) => w.seed)).toEqual([null, null, null]);

    const { cycle } = await newMoon(circle.id);
    const drawn = (await governance.ok(DRAW, { id: drawId })).draw;
    expect(drawn).toMatchObject({ status: "DRAWN", cycle: cycle.label, pool: seated.map((m) => m.memberId).sort() });
    expect(drawn.rules).not.toContain("Quota");
    const verification = (await governance.ok(VERIFY_DRAW, { id: drawId })).verifyDraw;
    expect(verification).toEqual({
      matches: true,
      seedsMatchCommitments: true,
      commitmentMatches: true,
      orderMatches: true,
      recomputedOrder: drawn.drawnOrder,
    });

    const holder = seated.find((m) => m.memberId === drawn.drawnOrder[0])!;
    const others = seated.filter((m) => m !== holder);
    const roles = (await governance.ok(ROLE_HOLDERS, { id: body.id }, holder)).body.roles[0];
    expect(roles.holders).toEqual([{ id: holder.memberId }]);
    expect(roles.lastDraw).toEqual({ id: drawId, status: "DRAWN" });
    expect(drawn.holders).toEqual([holder.memberId]);
    expect(await canOpenProposals(body.id, holder)).toBe(true);
    expect(await canOpenProposals(body.id, others[0])).toBe(false);

    const db = governance.service.runtime.db;
    await expect(db.query(`UPDATE witnessed_draws SET pool_commitment = 'x' WHERE id = $1`, [drawId])).rejects.toThrow(
      "cannot change",
    );
    await expect(db.query(`UPDATE draw_witnesses SET seed = 'x' WHERE draw_id = $1`, [drawId])).rejects.toThrow(
      "cannot change",
    );
    await db.transaction(async (manager) => {
      await manager.query(`ALTER TABLE draw_witnesses DISABLE TRIGGER draw_witnesses_kept`);
      await manager.query(`UPDATE draw_witnesses SET seed = $2 WHERE draw_id = $1 AND member_id = $3`, [
        drawId,
        "6".repeat(32),
        witnesses[0].memberId,
      ]);
      await manager.query(`ALTER TABLE draw_witnesses ENABLE TRIGGER draw_witnesses_kept`);
    });
    expect((await governance.ok(VERIFY_DRAW, { id: drawId })).verifyDraw).toMatchObject({
      matches: false,
      seedsMatchCommitments: false,
      commitmentMatches: true,
      orderMatches: false,
    });
  });

  it("rotate at the new moon once per circle and cycle, never to last cycle's holder while others are eligible, with powers that follow at once; composting dissolves the role", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", w1: "EDGE", w2: "EDGE" });
    const seated = [circle.members.e1, circle.members.e2, circle.members.e3];
    const body = await seatedBody(governance, circle, seated, { decisionRule: "CONSENT" });
    const role = (
      await governance.ok(
        CREATE_ROLE,
        { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } },
        circle.organizer,
      )
    ).createRole;
    for (const witness of [circle.members.w1, circle.members.w2, circle.members.e1])
      await governance.ok(COMMIT, { input: { roleId: role.id, seed: witnessSeed() } }, witness);
    await newMoon(circle.id);
    const first = (await governance.ok(ROLE_HOLDERS, { id: body.id }, circle.members.e1)).body.roles[0].holders[0].id;

    for (const witness of [circle.members.w1, circle.members.w2, circle.organizer])
      await governance.ok(COMMIT, { input: { roleId: role.id, seed: witnessSeed() } }, witness);
    const { runtime } = governance.service;
    const { cycle, run: rotation } = await newMoon(circle.id);
    expect(rotation.outcome).toEqual({ rolesRotated: 1 });
    expect(
      (
        await runCycleOnce(
          runtime.db,
          roleRotationJob,
          circle.id,
          cycle.label,
          governance.clock(),
          runtime.logger,
          runtime.registry,
          runtime.config,
        )
      ).wasAlreadyFinished,
    ).toBe(true);
    const draws: Array<{ id: string; rules: { excludedAsPreviousHolders: string[] } }> = await runtime.db.query(
      `SELECT id, rules FROM witnessed_draws WHERE purpose = $1 AND cycle = $2`,
      [`role:${role.id}`, cycle.label],
    );
    expect(draws).toHaveLength(1);
    expect(draws[0].rules.excludedAsPreviousHolders).toEqual([first]);
    expect((await governance.ok(VERIFY_DRAW, { id: draws[0].id })).verifyDraw.matches).toBe(true);

    const [{ holders, lastDraw }] = (await governance.ok(ROLE_HOLDERS, { id: body.id }, circle.members.e1)).body.roles;
    expect(lastDraw.id).toBe(draws[0].id);
    const HISTORY = `query ($id: ID!, $after: String) { body(id: $id) { roles { draws(first: 1, after: $after) { items { id status cycle } nextCursor } } } }`;
    const newest = (await governance.ok(HISTORY, { id: body.id }, circle.members.e2)).body.roles[0].draws;
    expect(newest.items).toEqual([{ id: draws[0].id, status: "DRAWN", cycle: cycle.label }]);
    const older = (await governance.ok(HISTORY, { id: body.id, after: newest.nextCursor }, circle.members.e2)).body
      .roles[0].draws;
    expect(older.items).toHaveLength(1);
    expect(older.items[0].cycle < cycle.label).toBe(true);
    expect(older.nextCursor).toBeNull();
    expect(holders).toHaveLength(1);
    expect(holders[0].id).not.toBe(first);
    const newHolder = seated.find((m) => m.memberId === holders[0].id)!;
    const previous = seated.find((m) => m.memberId === first)!;
    expect(await canOpenProposals(body.id, newHolder)).toBe(true);
    expect(await canOpenProposals(body.id, previous)).toBe(false);

    const reasons = "Facilitation became a gate: the same voice set every round.";
    expect(
      (await governance.refused(COMPOST, { input: { roleId: role.id, reasons: "  " } }, circle.members.e1)).code,
    ).toBe("BAD_USER_INPUT");
    const composted = (await governance.ok(COMPOST, { input: { roleId: role.id, reasons } }, previous)).compostRole;
    expect(composted).toMatchObject({ status: "COMPOSTED", compostReasons: reasons });
    expect((await governance.ok(ROLE_HOLDERS, { id: body.id }, circle.members.e1)).body.roles[0].holders).toEqual([]);
    expect(await canOpenProposals(body.id, previous)).toBe(true);
    expect((await governance.ok(ARCHIVE, { circleId: circle.id }, circle.members.e2)).compostArchive.items).toEqual([
      { id: role.id, name: "facilitator", compostReasons: reasons },
    ]);
    expect(
      (await governance.refused(COMMIT, { input: { roleId: role.id, seed: witnessSeed() } }, circle.members.w1)).code,
    ).toBe("CONFLICT");
  });
});
