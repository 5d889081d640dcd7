import { describe, expect, it } from "vitest";
import { eventually } from "@rhizome/kit/testing";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import { CREATE_PROPOSAL, RESPOND, circleWith, seatedBody, useGovernance } from "./support/hub.js";

const governance = useGovernance();
const HOUR_MS = 3_600_000;
const CONSTITUTION = `query ($circleId: ID!) { constitution(circleId: $circleId) { isEdgeOnly edgeOnlyUntil articles { id number currentVersion versions { version title text } } } }`;

describe("the living constitution (G5)", () => {
  it("passes an amendment in the circle's first six months only by the consent of every seat (every edge seat holds a veto), then by the circle's own rule, keeping every version", async () => {
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", a1: "ADVANTAGED" });
    const { e1, e2, a1 } = circle.members;
    const body = await seatedBody(governance, circle, [e1, e2, a1], { decisionRule: "CONSENT" });
    const founding = await eventually(async () => {
      const constitution = (await governance.ok(CONSTITUTION, { circleId: circle.id }, e1)).constitution;
      return constitution.edgeOnlyUntil ? constitution : undefined;
    }, "governance to learn the circle's founding");
    expect(founding.isEdgeOnly).toBe(true);

    const amend = (as: typeof e1, amendment: Record<string, unknown>) => {
      const closesAt = new Date(governance.clock().getTime() + HOUR_MS).toISOString();
      return { input: { bodyId: body.id, title: "Article on rent escrow", text: "Why", closesAt, amendment } };
    };
    const first = { title: "Rent escrow", text: "Tenants hold rent in escrow together." };
    // Anyone seated may put an amendment and respond to it (so neither shows anybody's bloc); one
    // objection from any seat, and so from any edge seat, stops it.
    const vetoed = (await governance.ok(CREATE_PROPOSAL, amend(a1, first), a1)).createProposal;
    expect(vetoed.kind).toBe("AMENDMENT");
    await governance.ok(RESPOND, { input: { proposalId: vetoed.id, response: "CONSENT" } }, a1);
    await governance.ok(
      RESPOND,
      { input: { proposalId: vetoed.id, response: "VETO", reason: "Not before the tenants' meeting" } },
      e1,
    );
    const proposal = (await governance.ok(CREATE_PROPOSAL, amend(a1, first), a1)).createProposal;
    await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, a1);
    await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, e2);
    governance.clock.advance(HOUR_MS);
    await runDueDeadlines(governance.service.runtime);
    const log = (
      await governance.ok(
        `query ($circleId: ID!) { decisionLog(circleId: $circleId) { items { proposalId rule outcome tally { eligible consent veto } } } }`,
        { circleId: circle.id },
        a1,
      )
    ).decisionLog.items;
    expect(log.find((e: { proposalId: string }) => e.proposalId === vetoed.id)).toMatchObject({
      rule: "CONSENT",
      outcome: "REJECTED",
      tally: { eligible: 3, consent: 1, veto: 1 },
    });
    const [article] = (await governance.ok(CONSTITUTION, { circleId: circle.id }, a1)).constitution.articles;
    expect(article).toMatchObject({ number: 1, currentVersion: 1, versions: [{ version: 1, ...first }] });

    governance.clock.set(new Date(new Date(founding.edgeOnlyUntil).getTime() + 1));
    const second = {
      articleId: article.id,
      title: "Rent escrow",
      text: "Tenants and allies hold rent in escrow together.",
    };
    const amendment = (await governance.ok(CREATE_PROPOSAL, amend(a1, second), a1)).createProposal;
    await governance.ok(RESPOND, { input: { proposalId: amendment.id, response: "CONSENT" } }, a1);
    governance.clock.advance(HOUR_MS);
    await runDueDeadlines(governance.service.runtime);
    const after = (await governance.ok(CONSTITUTION, { circleId: circle.id }, e1)).constitution;
    expect(after.isEdgeOnly).toBe(false);
    expect(after.articles[0]).toMatchObject({
      currentVersion: 2,
      versions: [
        { version: 1, text: first.text },
        { version: 2, text: second.text },
      ],
    });
  });
});
