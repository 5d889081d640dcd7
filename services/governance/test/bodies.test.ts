import { describe, expect, it } from "vitest";
import { circleSnapshot } from "@rhizome/kit/testing";
import { cycleContaining } from "@rhizome/kit";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import { forgetUnpublishableCompositions } from "../src/migrations/0005-small-bodies-and-scrubbed-log.js";
import {
  BODY,
  CREATE_BODY,
  LEAVE_SEAT,
  PROPOSAL,
  RESPOND,
  TAKE_SEAT,
  circleWith,
  nextNewMoon,
  propose,
  seatedBody,
  useGovernance,
} from "./support/hub.js";

const governance = useGovernance();

describe("bodies and seats (G1)", () => {
  it("seat members whatever their bloc, never beyond the body's size even when they come at once; the new moon's count says whether it may decide", async () => {
    const circle = await circleWith({
      e1: "EDGE",
      e2: "EDGE",
      a1: "ADVANTAGED",
      a2: "ADVANTAGED",
      a3: "ADVANTAGED",
      a4: "ADVANTAGED",
    });
    const { members: m } = circle;
    const body = (
      await governance.ok(
        CREATE_BODY,
        {
          input: {
            circleId: circle.id,
            name: "Tenants' stewards",
            kind: "STEWARD_TEAM",
            decisionRule: "CONSENSUS_MINUS_ONE",
            size: 5,
          },
        },
        circle.organizer,
      )
    ).createBody;
    expect((await governance.ok(TAKE_SEAT, { bodyId: body.id }, m.e1)).takeSeat.kind).toBe("EDGE");
    await governance.ok(TAKE_SEAT, { bodyId: body.id }, m.e2);

    const attempts = await Promise.allSettled(
      [m.a1, m.a2, m.a3, m.a4].map((member) => governance.ok(TAKE_SEAT, { bodyId: body.id }, member)),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(3);
    const refusal = await governance.refused(
      TAKE_SEAT,
      { bodyId: body.id },
      [m.a1, m.a2, m.a3, m.a4].find((_, i) => attempts[i].status === "rejected")!,
    );
    expect(refusal).toEqual({ code: "BAD_USER_INPUT", message: "The body's 5 seats are all taken." });

    // Until a new moon publishes its composition it decides by the consent of every seat; nothing by kind is shown.
    const seen = (await governance.ok(BODY, { id: body.id }, m.e1)).body;
    expect(seen).toMatchObject({
      seatsTaken: 5,
      compositionHolds: null,
      decidesByConsentOfEverySeat: true,
      cannotDecideBecause: null,
      mySeat: "EDGE",
    });
    expect(seen.seatHolders).toHaveLength(5);
    // Five seats taken in the cycle that ended: a cohort, so the new moon publishes the count.
    governance.clock.set(nextNewMoon(governance.clock()));
    const counted = (await governance.ok(BODY, { id: body.id }, m.e1)).body;
    expect(counted).toMatchObject({
      seatsTaken: 5,
      compositionHolds: false,
      decidesByConsentOfEverySeat: false,
      cannotDecideBecause: expect.stringContaining("out of composition"),
    });
  });

  it("let a new body decide at once by the consent of every seat, computing nothing from its seats' kinds", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", a1: "ADVANTAGED", a2: "ADVANTAGED" });
    const { members: m } = circle;
    const body = (
      await governance.ok(
        CREATE_BODY,
        {
          input: {
            circleId: circle.id,
            name: "Repair stewards",
            kind: "STEWARD_TEAM",
            decisionRule: "CONSENT",
            size: 9,
          },
        },
        circle.organizer,
      )
    ).createBody;
    for (const member of [m.e1, m.e2, m.a1]) await governance.ok(TAKE_SEAT, { bodyId: body.id }, member);
    const proposal = await propose(governance, body.id, m.e1);
    expect((await governance.ok(BODY, { id: body.id }, m.e2)).body).toMatchObject({
      compositionHolds: null,
      decidesByConsentOfEverySeat: true,
      cannotDecideBecause: null,
    });
    expect(
      (
        await governance.ok(
          `query ($id: ID!) { proposals(bodyId: $id) { items { id status } } }`,
          { id: body.id },
          m.a1,
        )
      ).proposals.items,
    ).toEqual([{ id: proposal.id, status: "OPEN" }]);
    await governance.ok(TAKE_SEAT, { bodyId: body.id }, m.a2);
    expect((await governance.ok(BODY, { id: body.id }, m.e2)).body).toMatchObject({
      seatsTaken: 4,
      compositionHolds: null,
      cannotDecideBecause: null,
    });
    await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, m.a2);
    const objected = await propose(governance, body.id, m.a1);
    await governance.ok(
      RESPOND,
      { input: { proposalId: objected.id, response: "OBJECT", reason: "Not on market day" } },
      m.a2,
    );
    governance.clock.advance(2 * 3_600_000);
    await runDueDeadlines(governance.service.runtime);
    expect((await governance.ok(PROPOSAL, { id: proposal.id }, m.e1)).proposal.outcome).toBe("PASSED");
    expect((await governance.ok(PROPOSAL, { id: objected.id }, m.e1)).proposal.outcome).toBe("REJECTED");
  });

  it("publish no composition for a body under 5 seats, at a new moon or after, and who sits where stays private", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", a1: "ADVANTAGED", watcher: "EDGE" });
    const { members: m } = circle;
    const body = (
      await governance.ok(
        CREATE_BODY,
        {
          input: { circleId: circle.id, name: "Food stewards", kind: "STEWARD_TEAM", decisionRule: "CONSENT", size: 5 },
        },
        circle.organizer,
      )
    ).createBody;
    for (const member of [m.e1, m.e2, m.a1]) await governance.ok(TAKE_SEAT, { bodyId: body.id }, member);
    expect((await governance.ok(BODY, { id: body.id }, m.a1)).body.mySeat).toBe("ADVANTAGED");
    expect((await governance.ok(BODY, { id: body.id }, m.watcher)).body.mySeat).toBeNull();
    governance.clock.set(nextNewMoon(governance.clock()));
    expect((await governance.ok(BODY, { id: body.id }, m.watcher)).body).toMatchObject({
      seatsTaken: 3,
      compositionHolds: null,
      decidesByConsentOfEverySeat: true,
      cannotDecideBecause: null,
    });

    // One member leaving changes who sits at once, and nothing else anyone reads.
    await governance.ok(LEAVE_SEAT, { bodyId: body.id }, m.e2);
    const after = (await governance.ok(BODY, { id: body.id }, m.watcher)).body;
    expect(after).toMatchObject({ seatsTaken: 2, compositionHolds: null, cannotDecideBecause: null });
    expect(JSON.stringify(after)).not.toContain("ADVANTAGED");
    governance.clock.set(nextNewMoon(governance.clock()));
    expect((await governance.ok(BODY, { id: body.id }, m.watcher)).body).toMatchObject({
      seatsTaken: 2,
      compositionHolds: null,
      decidesByConsentOfEverySeat: true,
    });
  });

  it("count a cohort of at least 5 seat changes at the next new moon, so a body that drifted out of composition stops deciding", async () => {
    const circle = await circleWith({
      e1: "EDGE",
      e2: "EDGE",
      a1: "ADVANTAGED",
      a2: "ADVANTAGED",
      a3: "ADVANTAGED",
      a4: "ADVANTAGED",
      e3: "EDGE",
      a5: "ADVANTAGED",
    });
    const { members: m } = circle;
    const body = (
      await governance.ok(
        CREATE_BODY,
        {
          input: {
            circleId: circle.id,
            name: "Garden stewards",
            kind: "STEWARD_TEAM",
            decisionRule: "CONSENT",
            size: 9,
          },
        },
        circle.organizer,
      )
    ).createBody;
    for (const member of [m.e1, m.e2, m.a1]) await governance.ok(TAKE_SEAT, { bodyId: body.id }, member);
    governance.clock.set(nextNewMoon(governance.clock()));
    expect((await governance.ok(BODY, { id: body.id }, m.e1)).body).toMatchObject({
      compositionHolds: null,
      decidesByConsentOfEverySeat: true,
      cannotDecideBecause: null,
    });

    for (const member of [m.a2, m.a3, m.a4, m.e3, m.a5]) await governance.ok(TAKE_SEAT, { bodyId: body.id }, member);
    expect((await governance.ok(BODY, { id: body.id }, m.e1)).body).toMatchObject({
      seatsTaken: 8,
      compositionHolds: null,
    });
    governance.clock.set(nextNewMoon(governance.clock()));
    expect((await governance.ok(BODY, { id: body.id }, m.e1)).body).toMatchObject({
      seatsTaken: 8,
      compositionHolds: false,
      decidesByConsentOfEverySeat: false,
      cannotDecideBecause: expect.stringContaining("out of composition"),
    });
  });

  it("publish a body's first composition from its seat history, the same whether or not anyone read it in the cycles between", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", e4: "EDGE", a1: "ADVANTAGED" });
    const { members: m } = circle;
    const bodies = [];
    for (const name of ["Read every cycle", "Read late"]) {
      const body = (
        await governance.ok(
          CREATE_BODY,
          { input: { circleId: circle.id, name, kind: "STEWARD_TEAM", decisionRule: "MAJORITY", size: 9 } },
          circle.organizer,
        )
      ).createBody;
      for (const member of [m.e1, m.e2, m.e3, m.e4, m.a1]) await governance.ok(TAKE_SEAT, { bodyId: body.id }, member);
      bodies.push(body);
    }
    // A cohort of 5 sat in the cycle the bodies were created in: the next new moon publishes them.
    governance.clock.set(nextNewMoon(governance.clock()));
    const readEveryCycle = (await governance.ok(BODY, { id: bodies[0].id }, m.e1)).body;
    expect(readEveryCycle).toMatchObject({ compositionHolds: true, decidesByConsentOfEverySeat: false });
    governance.clock.set(nextNewMoon(governance.clock()));
    const [first, late] = await Promise.all(
      bodies.map(async (body) => (await governance.ok(BODY, { id: body.id }, m.e1)).body),
    );
    expect(late).toMatchObject({
      compositionHolds: true,
      decidesByConsentOfEverySeat: false,
      cannotDecideBecause: null,
    });
    expect({ ...late, id: first.id }).toEqual(first);
  });

  it("stop publishing compositions stored under the earlier rules: of a body under 5 seats, or counted live at a first proposal", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", e4: "EDGE", a1: "ADVANTAGED" });
    const { members: m } = circle;
    const published = await seatedBody(governance, circle, [m.e1, m.e2, m.e3, m.e4, m.a1], { decisionRule: "CONSENT" });
    expect((await governance.ok(BODY, { id: published.id }, m.e1)).body.compositionHolds).toBe(true);
    const cycle = cycleContaining(governance.clock());
    const db = governance.service.runtime.db;
    const stored = [
      { seated: 3, countedAt: cycle.startsAt },
      { seated: 6, countedAt: new Date(cycle.startsAt.getTime() + 3_600_000) },
    ];
    const others = [];
    for (const { seated, countedAt } of stored) {
      const body = (
        await governance.ok(
          CREATE_BODY,
          {
            input: {
              circleId: circle.id,
              name: `Stored ${seated}`,
              kind: "STEWARD_TEAM",
              decisionRule: "MAJORITY",
              size: 9,
            },
          },
          circle.organizer,
        )
      ).createBody;
      await db.query(
        `INSERT INTO body_compositions (body_id, circle_id, cycle, counted_at, seated, holds) VALUES ($1, $2, $3, $4, $5, true)`,
        [body.id, circle.id, cycle.label, countedAt, seated],
      );
      expect((await governance.ok(BODY, { id: body.id }, m.e1)).body.compositionHolds).toBe(true);
      others.push(body);
    }
    await forgetUnpublishableCompositions((sql, parameters) => db.query(sql, parameters));
    for (const body of others)
      expect((await governance.ok(BODY, { id: body.id }, m.e1)).body.compositionHolds).toBeNull();
    expect((await governance.ok(BODY, { id: published.id }, m.e1)).body.compositionHolds).toBe(true);
  });

  it("refuse a seat to a member network does not know and a body to a non-organizer, changing nothing", async () => {
    const circle = await circleWith({ e1: "EDGE" });
    const body = (
      await governance.ok(
        CREATE_BODY,
        {
          input: {
            circleId: circle.id,
            name: "Repair crew",
            kind: "ASSEMBLY",
            decisionRule: "MAJORITY",
            size: 3,
            quorumPercent: 60,
          },
        },
        circle.organizer,
      )
    ).createBody;
    const before = await circleSnapshot(governance.service.runtime.db, circle.id);
    expect(
      (
        await governance.refused(
          CREATE_BODY,
          { input: { circleId: circle.id, name: "Mine", kind: "ASSEMBLY", decisionRule: "CONSENT", size: 3 } },
          circle.members.e1,
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      await governance.refused(
        CREATE_BODY,
        { input: { circleId: circle.id, name: " ", kind: "ASSEMBLY", decisionRule: "CONSENT", size: 3 } },
        circle.organizer,
      ),
    ).toEqual({ code: "BAD_USER_INPUT", message: "A body's name cannot be empty." });
    expect(
      (
        await governance.refused(
          CREATE_BODY,
          { input: { circleId: circle.id, name: "Huge", kind: "ASSEMBLY", decisionRule: "CONSENT", size: 501 } },
          circle.organizer,
        )
      ).message,
    ).toContain("1 to 500 seats");
    expect(
      (
        await governance.refused(
          CREATE_BODY,
          { input: { circleId: circle.id, name: "Repair crew", kind: "ASSEMBLY", decisionRule: "CONSENT", size: 3 } },
          circle.organizer,
        )
      ).code,
    ).toBe("CONFLICT");
    expect(
      (
        await governance.refused(
          CREATE_BODY,
          { input: { circleId: circle.id, name: "x", kind: "NOPE", decisionRule: "CONSENT", size: 3 } },
          circle.organizer,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect((await governance.refused(LEAVE_SEAT, { bodyId: body.id }, circle.members.e1)).message).toBe(
      "You hold no seat in this body.",
    );
    expect(await circleSnapshot(governance.service.runtime.db, circle.id)).toEqual(before);
  });
});
