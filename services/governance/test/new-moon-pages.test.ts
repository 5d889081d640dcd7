import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cycleByLabelOrThrow, drawSealKey, runCycleOnce, runCyclePage, type CycleJob } from "@rhizome/kit";
import { blocChangesJob } from "../src/jobs/bloc-changes.js";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import { PACT_BATCH_SIZE } from "../src/store/pacts.js";
import { cycleReviewJob, roleRotationJob } from "../src/jobs/new-moon.js";
import { rotateRolesOfPage } from "../src/jobs/new-moon-pages.js";
import { circleWith, seatedBody, useGovernance } from "./support/hub.js";

// The new moon's governance jobs for a page of circles in one transaction, against each circle's own run.
const governance = useGovernance();
const CREATE_ROLE = `mutation ($input: CreateRoleInput!) { createRole(input: $input) { id status } }`;
const COMMIT = `mutation ($input: CommitRoleDrawSeedInput!) { commitRoleDrawSeed(input: $input) { id status } }`;

/** A circle with a body of three seated members and a facilitator role; with `witnessed`, three members commit seeds to its draw. */
async function circleWithRole(witnessed: boolean) {
  const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", w1: "EDGE", w2: "EDGE", w3: "ADVANTAGED" });
  const body = await seatedBody(governance, circle, [circle.members.e1, circle.members.e2, circle.members.e3], {
    decisionRule: "CONSENT",
  });
  const role = (
    await governance.ok(
      CREATE_ROLE,
      { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } },
      circle.organizer,
    )
  ).createRole;
  if (witnessed)
    for (const witness of [circle.members.w1, circle.members.w2, circle.members.w3])
      await governance.ok(COMMIT, { input: { roleId: role.id, seed: randomBytes(16).toString("hex") } }, witness);
  return { circleId: circle.id, roleId: role.id as string };
}

/** The cycle the witnesses committed in (the service's own): its new moon is the one run here; every circle known since it began. */
async function gatheringCycle(circleIds: readonly string[]) {
  const db = governance.service.runtime.db;
  const [{ cycle }]: Array<{ cycle: string }> = await db.query(
    `SELECT cycle FROM witnessed_draws WHERE circle_id = $1`,
    [circleIds[0]],
  );
  const gathering = cycleByLabelOrThrow(cycle);
  for (const circleId of circleIds)
    await db.query(
      `INSERT INTO known_circles (circle_id, first_seen_at) VALUES ($1, $2) ON CONFLICT (circle_id) DO UPDATE SET first_seen_at = EXCLUDED.first_seen_at`,
      [circleId, gathering.startsAt],
    );
  return gathering;
}

async function state(circleIds: readonly string[]) {
  const db = governance.service.runtime.db;
  const holders: Array<{ circle_id: string; member_id: string }> = await db.query(
    `SELECT circle_id, member_id FROM role_holders WHERE circle_id = ANY($1::uuid[]) ORDER BY circle_id, member_id`,
    [circleIds],
  );
  const draws: Array<{ circle_id: string; status: string; drawn_order: unknown }> = await db.query(
    `SELECT circle_id, status, drawn_order FROM witnessed_draws WHERE circle_id = ANY($1::uuid[]) ORDER BY circle_id`,
    [circleIds],
  );
  const assemblies: Array<{ circle_id: string; cycle: string }> = await db.query(
    `SELECT circle_id, cycle FROM assemblies WHERE kind = 'COMMONS' AND circle_id = ANY($1::uuid[]) ORDER BY circle_id`,
    [circleIds],
  );
  const runs: Array<{ purpose: string; circle_id: string; finished: boolean }> = await db.query(
    `SELECT purpose, circle_id, finished_at IS NOT NULL AS finished FROM cycle_runs WHERE circle_id = ANY($1::uuid[]) ORDER BY purpose, circle_id`,
    [circleIds],
  );
  return { holders, draws, assemblies, runs };
}

const run = (job: CycleJob<never, unknown>, circleId: string, cycle: string, now: Date) =>
  runCycleOnce(
    governance.service.runtime.db,
    job,
    circleId,
    cycle,
    now,
    governance.service.runtime.logger,
    governance.service.runtime.registry,
    governance.service.runtime.config,
  );
const page = (job: CycleJob<never, unknown>, circleIds: readonly string[], cycle: string, now: Date) =>
  runCyclePage(
    governance.service.runtime.db,
    job,
    circleIds,
    cycle,
    now,
    governance.service.runtime.logger,
    governance.service.runtime.registry,
    governance.service.runtime.config,
  );

describe("the governance new moon for a page of circles", () => {
  it("rotates each circle's roles as its own run does, and a crash inside the page leaves nothing", async () => {
    const circles = [await circleWithRole(true), await circleWithRole(false)];
    const ids = circles.map((c) => c.circleId);
    const cycle = await gatheringCycle(ids);
    const before = await state(ids);
    let inside: Awaited<ReturnType<typeof state>>["holders"] = [];
    await expect(
      rotateRolesOfPage(
        governance.service.runtime.db,
        drawSealKey(governance.service.runtime.config.TOKEN_SECRET),
        ids,
        cycle.label,
        cycle.endsAt,
        {
          beforeCommit: async (tx) => {
            inside = await tx.query(
              `SELECT circle_id, member_id FROM role_holders WHERE circle_id = ANY($1::uuid[]) ORDER BY circle_id, member_id`,
              [ids],
            );
            throw new Error("the worker died before the commit");
          },
        },
      ),
    ).rejects.toThrow("the worker died");
    expect(inside.filter((h) => h.circle_id === circles[0].circleId)).toHaveLength(1);
    expect(await state(ids)).toEqual(before);

    for (const circleId of ids)
      expect((await run(roleRotationJob, circleId, cycle.label, cycle.endsAt)).outcome).toEqual({ rolesRotated: 1 });
    expect((await state(ids)).holders).toEqual(inside);
  });

  it("finishes each circle's runs once through the kit's page, leaves a circle with a bloc change to its own run, and a rerun writes nothing", async () => {
    const circles = [await circleWithRole(true), await circleWithRole(false)];
    const ids = circles.map((c) => c.circleId);
    const cycle = await gatheringCycle(ids);
    const now = cycle.endsAt;
    const pendingMember = randomUUID();
    await governance.service.runtime.db.query(
      `INSERT INTO bloc_changes (circle_id, member_id, from_bloc, to_bloc, effective_at) VALUES ($1, $2, 'EDGE', 'ADVANTAGED', $3)`,
      [ids[1], pendingMember, cycle.endsAt],
    );

    const rotated = await page(roleRotationJob, ids, cycle.label, now);
    expect([...rotated.finished.values()]).toEqual([{ rolesRotated: 1 }, { rolesRotated: 1 }]);
    const reviewed = await page(cycleReviewJob, ids, cycle.label, now);
    expect([...reviewed.finished.values()]).toEqual([
      { experimentsJudged: 0, commonsAssemblyOpened: true },
      { experimentsJudged: 0, commonsAssemblyOpened: true },
    ]);
    const blocs = await page(blocChangesJob, ids, cycle.label, now);
    expect([...blocs.finished.entries()]).toEqual([[ids[0], { membersChanged: 0 }]]);
    expect(blocs.leftToOwnRuns).toEqual([ids[1]]);

    const once = await state(ids);
    expect(once.holders.filter((h) => h.circle_id === ids[0])).toHaveLength(1);
    expect(once.draws.map((d) => d.status).sort()).toEqual(["CARRIED_OVER", "DRAWN"]);
    expect(once.assemblies).toHaveLength(2);
    expect(once.runs.filter((r) => r.finished).map((r) => `${r.purpose} ${r.circle_id}`)).toEqual(
      [
        ...ids.map((c) => `cycle-review ${c}`),
        `bloc-changes ${ids[0]}`,
        ...ids.map((c) => `role-rotation ${c}`),
      ].sort(),
    );

    for (const job of [roleRotationJob, cycleReviewJob])
      expect((await page(job, ids, cycle.label, now)).finished.size).toBe(0);
    expect(await state(ids)).toEqual(once);
  });
});

describe("pacts whose sunsets fall together", () => {
  it("all lapse in one sweep, more than a batch of them, each once", async () => {
    const db = governance.service.runtime.db;
    const circleId = randomUUID();
    const bodyId = randomUUID();
    const founder = randomUUID();
    const adoptedAt = new Date(governance.clock().getTime() - 10 * 86_400_000);
    const sunsetAt = new Date(governance.clock().getTime() - 60_000);
    const pacts = PACT_BATCH_SIZE + 5;
    await db.query(
      `INSERT INTO bodies (id, circle_id, name, kind, decision_rule, size, quorum_percent, created_by, created_at)
       VALUES ($1, $2, 'Stewards', 'STEWARD_TEAM', 'CONSENT', 3, 50, $3, $4)`,
      [bodyId, circleId, founder, adoptedAt],
    );
    await db.query(
      `INSERT INTO proposals (id, circle_id, body_id, title, text, kind, status, outcome, closes_at, created_by, created_at, closed_at)
       SELECT gen_random_uuid(), $1, $2, 'Shed hours ' || n, 'Open the shed on Sundays.', 'ORDINARY', 'CLOSED', 'PASSED', $4, $3, $4, $4
       FROM generate_series(1, $5) AS n`,
      [circleId, bodyId, founder, adoptedAt, pacts],
    );
    await db.query(
      `INSERT INTO pacts (id, circle_id, body_id, proposal_id, title, status, sunset_at, adopted_at, reminded_at)
       SELECT gen_random_uuid(), circle_id, body_id, id, title, 'ACTIVE', $2, $3, $3 FROM proposals WHERE body_id = $1`,
      [bodyId, sunsetAt, adoptedAt],
    );

    const sweep = await runDueDeadlines(governance.service.runtime);
    expect(sweep.pactsLapsed).toBeGreaterThanOrEqual(pacts);
    const statuses: Array<{ status: string; count: string }> = await db.query(
      `SELECT status, count(*) FROM pacts WHERE circle_id = $1 GROUP BY status`,
      [circleId],
    );
    expect(statuses).toEqual([{ status: "LAPSED", count: String(pacts) }]);
    expect((await runDueDeadlines(governance.service.runtime)).pactsLapsed).toBe(0);
  });
});
