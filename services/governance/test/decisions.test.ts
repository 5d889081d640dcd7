import { describe, expect, it } from "vitest";
import { eventually } from "@rhizome/kit/testing";
import { closeDueProposals } from "../src/jobs/closing.js";
import { closingJobId, deadlinesQueueName, runDueDeadlines } from "../src/jobs/deadlines.js";
import {
  DECISION_LOG,
  PROPOSAL,
  RESPOND,
  VERIFY_LOG,
  circleWith,
  propose,
  seatedBody,
  useGovernance,
  CREATE_PROPOSAL,
  BODY,
} from "./support/hub.js";

const governance = useGovernance();
const HOUR_MS = 60 * 60_000;

async function closeNow() {
  return runDueDeadlines(governance.service.runtime);
}

describe("proposals decided by rule (G3)", () => {
  it("consensus-minus-one: a veto blocks (an edge steward's, and so anyone's, since who vetoed stays secret), one objection does not", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", e4: "EDGE", a1: "ADVANTAGED" });
    const { e1, e2, e3, e4, a1 } = circle.members;
    // Five seats, published at the new moon: the body decides by its own rule.
    const body = await seatedBody(governance, circle, [e1, e2, e3, e4, a1], { decisionRule: "CONSENSUS_MINUS_ONE" });
    const blocked = await propose(governance, body.id, e1);
    const passing = await propose(governance, body.id, e1);
    await governance.ok(RESPOND, { input: { proposalId: blocked.id, response: "CONSENT" } }, a1);
    await governance.ok(
      RESPOND,
      { input: { proposalId: blocked.id, response: "VETO", reason: "It hands the keys to the landlord's agent" } },
      e2,
    );
    await governance.ok(RESPOND, { input: { proposalId: passing.id, response: "CONSENT" } }, e1);
    await governance.ok(RESPOND, { input: { proposalId: passing.id, response: "CONSENT" } }, e2);
    await governance.ok(
      RESPOND,
      { input: { proposalId: passing.id, response: "OBJECT", reason: "I prefer Saturdays" } },
      a1,
    );
    expect(
      (await governance.refused(RESPOND, { input: { proposalId: passing.id, response: "VETO" } }, e1)).message,
    ).toContain("needs a reason");

    governance.clock.advance(HOUR_MS);
    await closeNow();
    expect((await governance.ok(PROPOSAL, { id: blocked.id }, e1)).proposal).toMatchObject({
      status: "CLOSED",
      outcome: "REJECTED",
    });
    expect((await governance.ok(PROPOSAL, { id: passing.id }, e1)).proposal).toMatchObject({
      status: "CLOSED",
      outcome: "PASSED",
      myResponse: { response: "CONSENT" },
    });

    const log = (await governance.ok(DECISION_LOG, { circleId: circle.id }, a1)).decisionLog.items;
    const entryOf = (id: string) => log.find((e: { proposalId: string }) => e.proposalId === id);
    expect(entryOf(blocked.id)).toMatchObject({
      outcome: "REJECTED",
      rule: "CONSENSUS_MINUS_ONE",
      reasons: ["It hands the keys to the landlord's agent"],
      tally: { eligible: 5, consent: 1, veto: 1 },
    });
    expect(entryOf(passing.id)).toMatchObject({ outcome: "PASSED", tally: { consent: 2, object: 1, veto: 0 } });
    expect(Object.keys(entryOf(passing.id).tally).sort()).toEqual([
      "consent",
      "eligible",
      "object",
      "standAside",
      "veto",
    ]);
    expect(
      (await governance.refused(RESPOND, { input: { proposalId: passing.id, response: "CONSENT" } }, e1)).code,
    ).toBe("CONFLICT");
  });

  it("closes by its queued job at its time, and the outcome is computed", async () => {
    const circle = await circleWith({ e1: "EDGE" });
    const body = await seatedBody(governance, circle, [circle.members.e1], { decisionRule: "CONSENT" });
    const proposal = await propose(governance, body.id, circle.members.e1, 1_500);
    governance.clock.advance(1_500);
    const closed = await eventually(async () => {
      const seen = (await governance.ok(PROPOSAL, { id: proposal.id }, circle.members.e1)).proposal;
      return seen.status === "CLOSED" ? seen : undefined;
    }, "the closing job");
    expect(closed.outcome).toBe("PASSED");
  });

  it("closes exactly once after a crash: a lost job, a closer that died, and three closers racing", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE" });
    const body = await seatedBody(governance, circle, [circle.members.e1, circle.members.e2], {
      decisionRule: "CONSENSUS",
    });
    const proposal = await propose(governance, body.id, circle.members.e1, HOUR_MS);
    await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, circle.members.e1);
    await (await governance.service.runtime
      .queue(deadlinesQueueName)
      .getJob(closingJobId(circle.id, new Date(proposal.closesAt))))!.remove();
    governance.clock.advance(HOUR_MS);
    const db = governance.service.runtime.db;
    await expect(
      db.transaction(async (manager) => {
        await manager.query(`SELECT id FROM proposals WHERE id = $1 FOR UPDATE`, [proposal.id]);
        throw new Error("the worker died mid-closing");
      }),
    ).rejects.toThrow("died");

    const now = governance.clock();
    const closings = await Promise.all([
      closeDueProposals(db, now, { circleId: circle.id }),
      closeDueProposals(db, now, { circleId: circle.id }),
      closeNow(),
    ]);
    expect(closings[0].length + closings[1].length + closings[2].proposalsClosed).toBe(1);
    await closeNow();
    const entries = await db.query(`SELECT outcome FROM decision_log WHERE proposal_id = $1`, [proposal.id]);
    // Two seats decide by the consent of every seat: nobody objected, so it passed.
    expect(entries).toEqual([{ outcome: "PASSED" }]);
    expect(
      (await governance.ok(VERIFY_LOG, { circleId: circle.id }, circle.members.e2)).verifyDecisionLog,
    ).toMatchObject({ isIntact: true, entriesChecked: 1 });
  });

  it("counts a majority's quorum over seated members only, and a body out of composition at its new-moon count decides nothing", async () => {
    const circle = await circleWith({
      e1: "EDGE",
      e2: "EDGE",
      e3: "EDGE",
      e4: "EDGE",
      a1: "ADVANTAGED",
      a2: "ADVANTAGED",
      a3: "ADVANTAGED",
      outsider: "EDGE",
    });
    const { e1, e2, e3, e4, a1, a2, a3 } = circle.members;
    const body = await seatedBody(governance, circle, [e1, e2, e3, e4, a1], {
      decisionRule: "MAJORITY",
      quorumPercent: 60,
    });
    const proposal = await propose(governance, body.id, e1);
    await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, e1);
    expect(
      (
        await governance.refused(
          RESPOND,
          { input: { proposalId: proposal.id, response: "CONSENT" } },
          circle.members.outsider,
        )
      ).message,
    ).toContain("Only members seated");
    governance.clock.advance(HOUR_MS);
    await closeNow();
    expect((await governance.ok(PROPOSAL, { id: proposal.id }, e1)).proposal.outcome).toBe("NO_QUORUM");

    const broken = await seatedBody(governance, circle, [e1, e2, a1, a2, a3], {
      decisionRule: "MAJORITY",
      quorumPercent: 60,
    });
    expect((await governance.ok(BODY, { id: broken.id }, e1)).body.compositionHolds).toBe(false);
    expect(
      (
        await governance.refused(
          CREATE_PROPOSAL,
          {
            input: {
              bodyId: broken.id,
              title: "t",
              text: "t",
              closesAt: new Date(governance.clock().getTime() + HOUR_MS).toISOString(),
            },
          },
          e1,
        )
      ).message,
    ).toContain("out of composition");
  });

  it("keeps an append-only, hash-chained log in which any change shows", async () => {
    const circle = await circleWith({ e1: "EDGE" });
    const body = await seatedBody(governance, circle, [circle.members.e1], { decisionRule: "CONSENT" });
    for (let i = 0; i < 3; i++) await propose(governance, body.id, circle.members.e1, HOUR_MS);
    governance.clock.advance(HOUR_MS);
    await closeNow();
    const page = (await governance.ok(DECISION_LOG, { circleId: circle.id, first: 2 }, circle.members.e1)).decisionLog;
    expect(page.items.map((e: { seq: number }) => e.seq)).toEqual([3, 2]);
    expect(page.items[0].previousHash).toBe(page.items[1].hash);
    expect(
      (
        await governance.ok(DECISION_LOG, { circleId: circle.id, first: 2, after: page.nextCursor }, circle.members.e1)
      ).decisionLog.items.map((e: { seq: number }) => e.seq),
    ).toEqual([1]);
    expect(
      (await governance.ok(VERIFY_LOG, { circleId: circle.id }, circle.members.e1)).verifyDecisionLog,
    ).toMatchObject({ isIntact: true, entriesChecked: 3, firstBrokenSeq: null });

    const db = governance.service.runtime.db;
    await expect(
      db.query(`UPDATE decision_log SET outcome = 'REJECTED' WHERE circle_id = $1 AND seq = 2`, [circle.id]),
    ).rejects.toThrow("append-only");
    // Someone with the database's owner rights goes around the trigger: the chain still shows it.
    await db.transaction(async (manager) => {
      await manager.query(`ALTER TABLE decision_log DISABLE TRIGGER decision_log_append_only`);
      await manager.query(`UPDATE decision_log SET outcome = 'REJECTED' WHERE circle_id = $1 AND seq = 2`, [circle.id]);
      await manager.query(`ALTER TABLE decision_log ENABLE TRIGGER decision_log_append_only`);
    });
    expect(
      (await governance.ok(VERIFY_LOG, { circleId: circle.id }, circle.members.e1)).verifyDecisionLog,
    ).toMatchObject({ isIntact: false, firstBrokenSeq: 2 });
  });
});
