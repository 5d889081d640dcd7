import { describe, expect, it } from "vitest";
import { cycleContaining, runCycleOnce } from "@rhizome/kit";
import { graphql } from "@rhizome/kit/testing";
import { roleRotationJob } from "../src/jobs/new-moon.js";
import { CREATE_PROPOSAL, circleWith, seatedBody, useGovernance, type Member } from "./support/hub.js";

const governance = useGovernance();

const CREATE_ROLE = `mutation ($input: CreateRoleInput!) { createRole(input: $input) { id status } }`;
const OPEN_DRAW = `mutation ($input: OpenDrawInput!) { openDraw(input: $input) { id status commitment pool } }`;
const SEED = `mutation ($input: ContributeSeedInput!) { contributeSeed(input: $input) { id status seeds drawnOrder drawSeed } }`;
const VERIFY_DRAW = `query ($id: ID!) { verifyDraw(id: $id) { matches commitmentMatches orderMatches recomputedOrder } }`;
const ROLE_HOLDERS = `query ($id: ID!) { body(id: $id) { roles { id name status holders { id } compostReasons } } }`;
const COMPOST = `mutation ($input: CompostRoleInput!) { compostRole(input: $input) { id status compostedAt compostReasons } }`;
const ARCHIVE = `query ($circleId: ID!) { compostArchive(circleId: $circleId) { items { id name compostReasons } } }`;

async function canOpenProposals(bodyId: string, member: Member): Promise<boolean> {
  const closesAt = new Date(governance.clock().getTime() + 3_600_000).toISOString();
  const response = await graphql(governance.service.url, CREATE_PROPOSAL, { input: { bodyId, title: "Round", text: "Next round", closesAt } }, member.token);
  if (response.body.errors) {
    expect(response.body.errors[0].extensions?.code).toBe("FORBIDDEN");
    return false;
  }
  return true;
}

describe("verifiable draws, rotation and composting (G2, G9)", () => {
  it("draw a facilitator from a published commitment and witnesses' seeds; anyone recomputes it; a tampered draw shows; nobody redraws", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE" });
    const seated = [circle.members.e1, circle.members.e2, circle.members.e3];
    const body = await seatedBody(governance, circle, seated, { decisionRule: "CONSENT" });
    const role = (await governance.ok(CREATE_ROLE, { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } }, circle.organizer)).createRole;
    const opened = (await governance.ok(OPEN_DRAW, { input: { roleId: role.id, seedsRequired: 2 } }, circle.members.e1)).openDraw;
    expect(opened).toMatchObject({ status: "OPEN", pool: seated.map((m) => m.memberId).sort() });
    await governance.ok(SEED, { input: { drawId: opened.id, seed: "dice: 4 2 6" } }, circle.members.e2);
    const closed = (await governance.ok(SEED, { input: { drawId: opened.id, seed: "dice: 1 1 5" } }, circle.members.e3)).contributeSeed;
    expect(closed).toMatchObject({ status: "CLOSED", seeds: ["dice: 4 2 6", "dice: 1 1 5"] });

    const verification = (await governance.ok(VERIFY_DRAW, { id: opened.id })).verifyDraw;
    expect(verification).toEqual({ matches: true, commitmentMatches: true, orderMatches: true, recomputedOrder: closed.drawnOrder });

    const holder = seated.find((m) => m.memberId === closed.drawnOrder[0])!;
    const others = seated.filter((m) => m !== holder);
    expect((await governance.ok(ROLE_HOLDERS, { id: body.id }, holder)).body.roles[0].holders).toEqual([{ id: holder.memberId }]);
    expect(await canOpenProposals(body.id, holder)).toBe(true);
    expect(await canOpenProposals(body.id, others[0])).toBe(false);

    expect((await governance.refused(SEED, { input: { drawId: opened.id, seed: "again" } }, circle.members.e1)).code).toBe("CONFLICT");
    const db = governance.service.runtime.db;
    await expect(db.query(`UPDATE draws SET commitment = 'x' WHERE id = $1`, [opened.id])).rejects.toThrow("cannot change");
    await expect(db.query(`UPDATE draw_seeds SET seed = 'x' WHERE draw_id = $1`, [opened.id])).rejects.toThrow("append-only");
    await db.transaction(async (manager) => {
      await manager.query(`ALTER TABLE draw_seeds DISABLE TRIGGER draw_seeds_append_only`);
      await manager.query(`UPDATE draw_seeds SET seed = 'dice: 6 6 6' WHERE draw_id = $1 AND position = 1`, [opened.id]);
      await manager.query(`ALTER TABLE draw_seeds ENABLE TRIGGER draw_seeds_append_only`);
    });
    expect((await governance.ok(VERIFY_DRAW, { id: opened.id })).verifyDraw).toMatchObject({ matches: false, commitmentMatches: true, orderMatches: false });
  });

  it("rotate at the new moon once per circle and cycle, never to last cycle's holder while others are eligible, with powers that follow at once; composting dissolves the role", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE" });
    const seated = [circle.members.e1, circle.members.e2, circle.members.e3];
    const body = await seatedBody(governance, circle, seated, { decisionRule: "CONSENT" });
    const role = (await governance.ok(CREATE_ROLE, { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } }, circle.organizer)).createRole;
    const draw = (await governance.ok(OPEN_DRAW, { input: { roleId: role.id, seedsRequired: 1 } }, circle.organizer)).openDraw;
    const first = (await governance.ok(SEED, { input: { drawId: draw.id, seed: "42" } }, circle.members.e1)).contributeSeed.drawnOrder[0];

    const { runtime } = governance.service;
    const cycle = cycleContaining(governance.clock());
    governance.clock.set(cycle.endsAt);
    const rotation = await runCycleOnce(runtime.db, roleRotationJob, circle.id, cycle.label, governance.clock(), runtime.logger, runtime.registry);
    expect(rotation.outcome).toEqual({ rolesRotated: 1 });
    expect((await runCycleOnce(runtime.db, roleRotationJob, circle.id, cycle.label, governance.clock(), runtime.logger, runtime.registry)).wasAlreadyFinished).toBe(true);
    const draws: Array<{ id: string; rules: { excludedAsPreviousHolders: string[] } }> = await runtime.db.query(`SELECT id, rules FROM draws WHERE role_id = $1 AND cycle = $2`, [role.id, cycle.label]);
    expect(draws).toHaveLength(1);
    expect(draws[0].rules.excludedAsPreviousHolders).toEqual([first]);
    expect((await governance.ok(VERIFY_DRAW, { id: draws[0].id })).verifyDraw.matches).toBe(true);

    const [{ holders }] = (await governance.ok(ROLE_HOLDERS, { id: body.id }, circle.members.e1)).body.roles;
    expect(holders).toHaveLength(1);
    expect(holders[0].id).not.toBe(first);
    const newHolder = seated.find((m) => m.memberId === holders[0].id)!;
    const previous = seated.find((m) => m.memberId === first)!;
    expect(await canOpenProposals(body.id, newHolder)).toBe(true);
    expect(await canOpenProposals(body.id, previous)).toBe(false);

    const reasons = "Facilitation became a gate: the same voice set every round.";
    expect((await governance.refused(COMPOST, { input: { roleId: role.id, reasons: "  " } }, circle.members.e1)).code).toBe("BAD_USER_INPUT");
    const composted = (await governance.ok(COMPOST, { input: { roleId: role.id, reasons } }, previous)).compostRole;
    expect(composted).toMatchObject({ status: "COMPOSTED", compostReasons: reasons });
    expect((await governance.ok(ROLE_HOLDERS, { id: body.id }, circle.members.e1)).body.roles[0].holders).toEqual([]);
    expect(await canOpenProposals(body.id, previous)).toBe(true);
    expect((await governance.ok(ARCHIVE, { circleId: circle.id }, circle.members.e2)).compostArchive.items).toEqual([{ id: role.id, name: "facilitator", compostReasons: reasons }]);
    expect((await governance.refused(OPEN_DRAW, { input: { roleId: role.id, seedsRequired: 1 } }, circle.organizer)).code).toBe("CONFLICT");
  });
});
