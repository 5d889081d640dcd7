import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { entryHash, type DecisionLogEntry } from "../src/domain/decision-log.js";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import { scrubRemovedTallyFields } from "../src/migrations/0005-small-bodies-and-scrubbed-log.js";
import { DECISION_LOG, VERIFY_LOG, circleWith, propose, seatedBody, useGovernance } from "./support/hub.js";

const governance = useGovernance();
const HOUR_MS = 3_600_000;
const PUBLISHED_KEYS = ["consent", "eligible", "object", "standAside", "veto"];

describe("the decision log's stored entries", () => {
  it("keep nothing the API stopped showing: per-bloc counts go, edge-only counts and reasons go, and the chain still verifies", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", a1: "ADVANTAGED" });
    const { e1, e2, a1 } = circle.members;
    const body = await seatedBody(governance, circle, [e1, e2, a1], { decisionRule: "CONSENT" });
    await propose(governance, body.id, e1);
    governance.clock.advance(HOUR_MS);
    await runDueDeadlines(governance.service.runtime);
    // An amendment left open, then entries as the first version of the log wrote them, appended to
    // the same chain: per-bloc counts in every tally, and an amendment counted over edge seats only.
    const amendment = await propose(governance, body.id, e1, 30 * 24 * HOUR_MS, {
      amendment: { title: "Rent escrow", text: "Tenants hold rent in escrow together." },
    });
    const db = governance.service.runtime.db;
    const [head]: Array<{ seq: string; hash: string }> = await db.query(
      `SELECT seq, hash FROM decision_log_heads WHERE circle_id = $1`,
      [circle.id],
    );
    let previousHash = head.hash;
    let seq = Number(head.seq);
    const decidedAt = governance.clock();
    const oldEntries = [
      {
        proposalId: randomUUID(),
        outcome: "REJECTED" as const,
        tally: { eligible: 3, consent: 2, standAside: 0, object: 0, veto: 1, standingObjections: 1, blockingVetoes: 0 },
        reasons: ["My rent would rise"],
      },
      {
        proposalId: amendment.id,
        outcome: "REJECTED" as const,
        tally: { eligible: 2, consent: 1, standAside: 0, object: 1, veto: 0, standingObjections: 1, blockingVetoes: 0 },
        reasons: ["Only with a lawyer"],
      },
    ];
    for (const old of oldEntries) {
      const entry = {
        circleId: circle.id,
        seq: ++seq,
        proposalId: old.proposalId,
        bodyId: body.id,
        rule: "CONSENT",
        outcome: old.outcome,
        // eslint-disable-next-line no-restricted-syntax -- an entry as the first log wrote it, with counts the type no longer has
        tally: old.tally as unknown as DecisionLogEntry["tally"],
        reasons: old.reasons,
        decidedAt: decidedAt.toISOString(),
        previousHash,
      };
      previousHash = entryHash(entry);
      await db.query(
        `INSERT INTO decision_log (circle_id, seq, proposal_id, body_id, rule, outcome, tally, reasons, decided_at, previous_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          circle.id,
          entry.seq,
          entry.proposalId,
          body.id,
          entry.rule,
          entry.outcome,
          JSON.stringify(entry.tally),
          JSON.stringify(entry.reasons),
          decidedAt,
          entry.previousHash,
          previousHash,
        ],
      );
    }
    await db.query(`UPDATE decision_log_heads SET seq = $2, hash = $3 WHERE circle_id = $1`, [
      circle.id,
      seq,
      previousHash,
    ]);
    const removedKeys = `SELECT count(*)::int AS n FROM decision_log WHERE tally ?| array['standingObjections', 'blockingVetoes']`;
    expect((await db.query(removedKeys))[0].n).toBeGreaterThan(0);
    expect((await governance.ok(VERIFY_LOG, { circleId: circle.id }, e2)).verifyDecisionLog.isIntact).toBe(true);

    await db.transaction((manager) => scrubRemovedTallyFields((sql, parameters) => manager.query(sql, parameters)));

    const stored: Array<{ tally: Record<string, unknown> }> = await db.query(`SELECT tally FROM decision_log`);
    expect(stored.length).toBeGreaterThan(0);
    for (const { tally } of stored) expect(Object.keys(tally).sort()).toEqual(PUBLISHED_KEYS);
    expect((await db.query(removedKeys))[0].n).toBe(0);
    const log = (await governance.ok(DECISION_LOG, { circleId: circle.id }, a1)).decisionLog.items;
    expect(log.map((e: { seq: number; outcome: string }) => [e.seq, e.outcome])).toEqual([
      [3, "REJECTED"],
      [2, "REJECTED"],
      [1, "PASSED"],
    ]);
    expect(log[1]).toMatchObject({
      reasons: ["My rent would rise"],
      tally: { eligible: 3, consent: 2, standAside: 0, object: 0, veto: 1 },
    });
    // The amendment counted edge seats only: its counts and its (edge members') reasons are gone, and
    // it names every seat taken then as eligible.
    expect(log[0]).toMatchObject({
      reasons: [],
      tally: { eligible: 3, consent: null, standAside: null, object: null, veto: null },
    });
    expect((await governance.ok(VERIFY_LOG, { circleId: circle.id }, e2)).verifyDecisionLog).toMatchObject({
      isIntact: true,
      entriesChecked: 3,
      firstBrokenSeq: null,
    });
    // Appending after the scrub chains onto the new head.
    await propose(governance, body.id, e1);
    governance.clock.advance(HOUR_MS);
    await runDueDeadlines(governance.service.runtime);
    expect((await governance.ok(VERIFY_LOG, { circleId: circle.id }, e2)).verifyDecisionLog).toMatchObject({
      isIntact: true,
      entriesChecked: 4,
    });
  });
});
