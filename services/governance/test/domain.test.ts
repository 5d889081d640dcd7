import { describe, expect, it } from "vitest";
import {
  compositionHolds,
  compositionToPublish,
  decidingProblem,
  howBodyDecides,
  seatRefusal,
} from "../src/domain/composition.js";
import { edgeOnlyUntil, isEdgeOnlyPeriod } from "../src/domain/constitution.js";
import { GENESIS_HASH, checkChain, entryHash, type DecisionLogEntry } from "../src/domain/decision-log.js";
import { decide, quorumOf, responseProblem, type CountedResponse } from "../src/domain/decision-rules.js";
import { checkWitnessedDraw, cycleContaining, witnessCommitment, witnessedDrawOrder } from "@rhizome/kit";
import { drawPool, holdersAfterDraw, type DrawRules } from "../src/domain/draws.js";
import { publishedCounts } from "../src/domain/power-map.js";
import { agendaSubmissionProblem, publishedShadowAgenda, shadowAgendaClosesAt } from "../src/domain/agenda.js";

// Responses carry no bloc: names say only whose they would be in the story.
const edge = (response: CountedResponse["response"], reason: string | null = null): CountedResponse => ({
  response,
  reason,
});
const advantaged = edge;

describe("composition", () => {
  it("keeps two edge seats for every advantaged seat; refuses a seat only to a full body, whatever the bloc; decides by the last count", () => {
    expect(compositionHolds({ edge: 2, advantaged: 1 })).toBe(true);
    expect(compositionHolds({ edge: 3, advantaged: 2 })).toBe(false);
    expect(seatRefusal(8, 9)).toBeUndefined();
    expect(seatRefusal(9, 9)).toBe("The body's 9 seats are all taken.");
    expect(decidingProblem(6, { seated: 6, holds: false })).toContain("out of composition");
    expect(decidingProblem(0, { seated: 6, holds: true })).toContain("Nobody holds a seat");
    expect(decidingProblem(6, undefined)).toBeUndefined();
    expect(decidingProblem(5, { seated: 5, holds: true })).toBeUndefined();
  });

  it("decides by the consent of every seat under 5 seats or without a published composition, whatever that composition was", () => {
    expect(howBodyDecides(4, { seated: 6, holds: false })).toEqual({ mode: "EVERY_SEAT" });
    expect(howBodyDecides(4, { seated: 6, holds: true })).toEqual({ mode: "EVERY_SEAT" });
    expect(howBodyDecides(7, undefined)).toEqual({ mode: "EVERY_SEAT" });
    expect(howBodyDecides(5, { seated: 5, holds: true })).toEqual({ mode: "OWN_RULE" });
    expect(howBodyDecides(5, { seated: 5, holds: false }).mode).toBe("CANNOT");
  });

  it("publishes a composition only from 5 seats, first after a cohort moved in one cycle, then only after another cohort", () => {
    const fresh = { published: undefined, mayReplace: true, cohortInLastCycle: true };
    expect(compositionToPublish({ edge: 3, advantaged: 1 }, fresh)).toBeUndefined();
    expect(compositionToPublish({ edge: 3, advantaged: 2 }, fresh)).toEqual({ seated: 5, holds: false });
    // 4 seats last cycle and one more now: the fifth seat alone would decide the figure.
    expect(
      compositionToPublish({ edge: 4, advantaged: 1 }, { ...fresh, cohortInLastCycle: false, mayReplace: true }),
    ).toBeUndefined();
    const published = { seated: 5, holds: true };
    expect(
      compositionToPublish({ edge: 4, advantaged: 2 }, { published, mayReplace: false, cohortInLastCycle: true }),
    ).toBe("keep");
    expect(
      compositionToPublish({ edge: 4, advantaged: 6 }, { published, mayReplace: true, cohortInLastCycle: false }),
    ).toEqual({ seated: 10, holds: false });
  });
});

describe("decision rules", () => {
  it("consent passes unless an objection stands", () => {
    expect(
      decide({ rule: "CONSENT", quorumPercent: 50, eligible: 3, isInComposition: true, responses: [edge("CONSENT")] })
        .outcome,
    ).toBe("PASSED");
    expect(
      decide({
        rule: "CONSENT",
        quorumPercent: 50,
        eligible: 3,
        isInComposition: true,
        responses: [edge("CONSENT"), advantaged("OBJECT", "too soon")],
      }).outcome,
    ).toBe("REJECTED");
  });

  it("consensus needs every eligible member, with no objection", () => {
    expect(
      decide({ rule: "CONSENSUS", quorumPercent: 50, eligible: 2, isInComposition: true, responses: [edge("CONSENT")] })
        .outcome,
    ).toBe("REJECTED");
    expect(
      decide({
        rule: "CONSENSUS",
        quorumPercent: 50,
        eligible: 2,
        isInComposition: true,
        responses: [edge("CONSENT"), edge("STAND_ASIDE")],
      }).outcome,
    ).toBe("PASSED");
  });

  it("consensus-minus-one is blocked by any veto (so by every edge veto) and passes over one objection, whoever gave them", () => {
    const base = { rule: "CONSENSUS_MINUS_ONE" as const, quorumPercent: 50, eligible: 3, isInComposition: true };
    expect(decide({ ...base, responses: [edge("CONSENT"), edge("VETO", "evictions")] })).toMatchObject({
      outcome: "REJECTED",
      tally: { veto: 1 },
    });
    expect(
      decide({ ...base, responses: [edge("CONSENT"), edge("CONSENT"), advantaged("VETO", "my rent")] }),
    ).toMatchObject({ outcome: "REJECTED", tally: { veto: 1 } });
    expect(
      decide({ ...base, responses: [edge("CONSENT"), edge("CONSENT"), advantaged("OBJECT", "my rent")] }),
    ).toMatchObject({ outcome: "PASSED", tally: { object: 1 } });
    expect(decide({ ...base, responses: [edge("OBJECT", "a"), advantaged("OBJECT", "b")] }).outcome).toBe("REJECTED");
  });

  it("majority counts its quorum over eligible members only", () => {
    expect(quorumOf(5, 50)).toBe(3);
    const base = { rule: "MAJORITY" as const, quorumPercent: 50, eligible: 5, isInComposition: true };
    expect(decide({ ...base, responses: [edge("CONSENT"), edge("CONSENT")] }).outcome).toBe("NO_QUORUM");
    expect(decide({ ...base, responses: [edge("CONSENT"), edge("CONSENT"), advantaged("OBJECT", "no")] }).outcome).toBe(
      "PASSED",
    );
    expect(
      decide({ ...base, responses: [edge("CONSENT"), edge("STAND_ASIDE"), advantaged("OBJECT", "no")] }).outcome,
    ).toBe("REJECTED");
  });

  it("decides nothing out of composition, and asks a reason of vetoes and objections", () => {
    expect(
      decide({ rule: "CONSENT", quorumPercent: 50, eligible: 2, isInComposition: false, responses: [edge("CONSENT")] })
        .outcome,
    ).toBe("OUT_OF_COMPOSITION");
    expect(responseProblem("VETO", " ")).toContain("needs a reason");
    expect(responseProblem("STAND_ASIDE", undefined)).toBeUndefined();
  });
});

describe("the decision log's chain", () => {
  it("detects a changed entry and the seq where it happened", () => {
    let previousHash = GENESIS_HASH;
    const entries = [1, 2, 3].map((seq) => {
      const entry: DecisionLogEntry = {
        circleId: "c",
        seq,
        proposalId: `p${seq}`,
        bodyId: "b",
        rule: "CONSENT",
        outcome: "PASSED",
        tally: { eligible: 1, consent: 1, standAside: 0, object: 0, veto: 0 },
        reasons: [],
        decidedAt: "2026-01-01T00:00:00.000Z",
        previousHash,
      };
      previousHash = entryHash(entry);
      return { ...entry, hash: previousHash };
    });
    expect(checkChain(entries, { headHash: GENESIS_HASH, nextSeq: 1 })).toEqual({ headHash: previousHash, nextSeq: 4 });
    const tampered = entries.map((e) => (e.seq === 2 ? { ...e, outcome: "REJECTED" as const } : e));
    expect(checkChain(tampered, { headHash: GENESIS_HASH, nextSeq: 1 }).firstBrokenSeq).toBe(2);
  });
});

describe("draws", () => {
  const rules: DrawRules = { roleId: "r", role: "facilitator", holders: 1, excludedAsPreviousHolders: [] };

  it("leave out last cycle's holders while others are eligible", () => {
    expect(drawPool(["c", "a", "b"], ["a"], 1)).toEqual({ pool: ["b", "c"], excluded: ["a"] });
    expect(drawPool(["a", "b"], ["a", "b"], 1)).toEqual({ pool: ["a", "b"], excluded: [] });
  });

  it("recompute to the same order from the same pool and seeds, whatever order the witnesses committed in, and detect a changed seed", () => {
    const frozen = {
      drawId: "d",
      purpose: "role:r",
      cycle: "2031-01-23",
      pool: ["a", "b", "c", "d"],
      rules: { ...rules },
    };
    const witnesses = [
      { memberId: "w2", seed: "2".repeat(32) },
      { memberId: "w1", seed: "1".repeat(32) },
      { memberId: "w3", seed: "3".repeat(32) },
    ];
    const { poolCommitment, drawSeed, order } = witnessedDrawOrder(frozen, witnesses);
    expect(witnessedDrawOrder(frozen, [...witnesses].reverse()).order).toEqual(order);
    expect([...order].sort()).toEqual(["a", "b", "c", "d"]);
    const published = witnesses.map((w) => ({ ...w, commitment: witnessCommitment("d", w.memberId, w.seed) }));
    const record = { ...frozen, poolCommitment, drawSeed, order, witnesses: published };
    expect(checkWitnessedDraw(record)).toMatchObject({
      seedsMatchCommitments: true,
      commitmentMatches: true,
      orderMatches: true,
    });
    const changed = published.map((w, i) => (i === 0 ? { ...w, seed: "9".repeat(32) } : w));
    expect(checkWitnessedDraw({ ...record, witnesses: changed })).toMatchObject({
      seedsMatchCommitments: false,
      orderMatches: false,
    });
  });

  it("seat the first holders of the order, passing over nobody; a carried-over draw keeps the holders still seated", () => {
    expect(holdersAfterDraw(["c", "a", "b"], "DRAWN", 2, ["x"], ["a", "b", "c"])).toEqual(["c", "a"]);
    expect(holdersAfterDraw([], "CARRIED_OVER", 2, ["x", "a"], ["a", "b", "c"])).toEqual(["a"]);
  });
});

describe("the constitution's first six months", () => {
  it("are edge-only, and a circle governance does not know yet counts as new", () => {
    const founded = new Date("2026-01-15T10:00:00Z");
    expect(edgeOnlyUntil(founded).toISOString()).toBe("2026-07-15T10:00:00.000Z");
    expect(isEdgeOnlyPeriod(founded, new Date("2026-07-15T09:59:59Z"))).toBe(true);
    expect(isEdgeOnlyPeriod(founded, new Date("2026-07-15T10:00:00Z"))).toBe(false);
    expect(isEdgeOnlyPeriod(undefined, new Date("2030-01-01T00:00:00Z"))).toBe(true);
  });
});

describe("the power map's published counts", () => {
  it("suppress under 5, and show blocs only when both reach 5 so a total cannot be differenced", () => {
    expect(publishedCounts(6, 2)).toEqual({ total: 8, edge: null, advantaged: null });
    expect(publishedCounts(2, 2)).toEqual({ total: null, edge: null, advantaged: null });
    expect(publishedCounts(5, 7)).toEqual({ total: 12, edge: 5, advantaged: 7 });
  });
});

describe("a shadow assembly's sealed agenda", () => {
  const createdAt = new Date("2026-12-10T12:00:00Z");
  const meetsAt = new Date("2026-12-12T18:00:00Z");
  const items = [
    { id: "00000000-0000-4000-8000-000000000001", text: "b", addedAt: createdAt, publishes: true },
    { id: "00000000-0000-4000-8000-000000000002", text: "a", addedAt: meetsAt, publishes: false },
    { id: "00000000-0000-4000-8000-000000000003", text: "c", addedAt: createdAt, publishes: true },
  ];

  it("closes when the assembly meets, or at the end of the cycle it was called in", () => {
    expect(shadowAgendaClosesAt({ meetsAt, createdAt })).toEqual(meetsAt);
    expect(shadowAgendaClosesAt({ meetsAt: null, createdAt })).toEqual(cycleContaining(createdAt).endsAt);
    expect(agendaSubmissionProblem(meetsAt, new Date(meetsAt.getTime() - 1))).toBeUndefined();
    expect(agendaSubmissionProblem(meetsAt, meetsAt)).toBe(
      "This assembly's agenda closed at 2026-12-12T18:00:00.000Z.",
    );
  });

  it("shows nothing before the close, then only edge items, at once, by the hash of their text, stamped with the close", () => {
    expect(publishedShadowAgenda(items, meetsAt, new Date(meetsAt.getTime() - 1))).toEqual([]);
    const published = publishedShadowAgenda(items, meetsAt, meetsAt);
    // sha256("b") = 3e23e8..., sha256("c") = 2e7d2c...: c comes first although submitted last.
    expect(published.map((item) => item.text)).toEqual(["c", "b"]);
    expect(published.every((item) => item.addedAt.getTime() === meetsAt.getTime())).toBe(true);
    expect(publishedShadowAgenda([...items].reverse(), meetsAt, meetsAt)).toEqual(published);
  });
});
