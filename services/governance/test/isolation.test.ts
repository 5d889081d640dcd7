import { describe, expect, it } from "vitest";
import { circleSnapshot } from "@rhizome/kit/testing";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import {
  BODY,
  DECISION_LOG,
  PROPOSAL,
  RESPOND,
  TAKE_SEAT,
  VERIFY_LOG,
  circleWith,
  propose,
  seatedBody,
  useGovernance,
} from "./support/hub.js";

const governance = useGovernance();

describe("isolation between circles", () => {
  it("a member of another circle reads and changes nothing of a circle, by any field, _entities included", async () => {
    const circle = await circleWith({ e1: "EDGE" });
    const e1 = circle.members.e1;
    const outsider = (await circleWith({ o1: "EDGE" })).members.o1;
    const body = await seatedBody(governance, circle, [e1], { decisionRule: "CONSENT" });
    const proposal = await propose(governance, body.id, e1, 60_000);
    governance.clock.advance(60_000);
    await runDueDeadlines(governance.service.runtime);
    const role = (
      await governance.ok(
        `mutation ($input: CreateRoleInput!) { createRole(input: $input) { id } }`,
        { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } },
        circle.organizer,
      )
    ).createRole;
    const pact = (
      await governance.ok(
        `mutation ($input: AdoptPactInput!) { adoptPact(input: $input) { id } }`,
        {
          input: {
            proposalId: proposal.id,
            sunsetAt: new Date(governance.clock().getTime() + 86_400_000).toISOString(),
          },
        },
        e1,
      )
    ).adoptPact;
    const assembly = (
      await governance.ok(
        `mutation ($input: CreateAssemblyInput!) { createAssembly(input: $input) { id } }`,
        { input: { circleId: circle.id, kind: "SHADOW", title: "Edge voices" } },
        e1,
      )
    ).createAssembly;
    const node = (
      await governance.ok(
        `mutation ($input: AddPowerNodeInput!) { addPowerNode(input: $input) { id } }`,
        { input: { circleId: circle.id, kind: "POLICE", label: "Precinct patrols", flows: ["FINES"] } },
        e1,
      )
    ).addPowerNode;
    const experiment = (
      await governance.ok(
        `mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { id } }`,
        { input: { nodeId: node.id, hypothesis: "Mediation instead of calls." } },
        e1,
      )
    ).startExperiment;
    const draw = (
      await governance.ok(
        `mutation ($input: CommitRoleDrawSeedInput!) { commitRoleDrawSeed(input: $input) { id } }`,
        { input: { roleId: role.id, seed: "1".repeat(32) } },
        e1,
      )
    ).commitRoleDrawSeed;
    await untilGovernanceKnows(circle.id);
    const before = await circleSnapshot(governance.service.runtime.db, circle.id);

    const notFound = [
      [BODY, { id: body.id }],
      [PROPOSAL, { id: proposal.id }],
      [`query ($id: ID!) { pact(id: $id) { id } }`, { id: pact.id }],
      [`query ($id: ID!) { assembly(id: $id) { id agendaClosesAt agenda { id state } } }`, { id: assembly.id }],
      [`query ($id: ID!) { experiment(id: $id) { id } }`, { id: experiment.id }],
      [`query ($id: ID!) { proposals(bodyId: $id) { items { id } } }`, { id: body.id }],
      [TAKE_SEAT, { bodyId: body.id }],
      [`mutation ($bodyId: ID!) { leaveSeat(bodyId: $bodyId) { id } }`, { bodyId: body.id }],
      [
        `mutation ($input: CreateProposalInput!) { createProposal(input: $input) { id } }`,
        {
          input: {
            bodyId: body.id,
            title: "t",
            text: "t",
            closesAt: new Date(governance.clock().getTime() + 3_600_000).toISOString(),
          },
        },
      ],
      [RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }],
      [
        `mutation ($input: CreateRoleInput!) { createRole(input: $input) { id } }`,
        { input: { bodyId: body.id, name: "x", powers: ["OPEN_PROPOSALS"], holderCount: 1 } },
      ],
      [
        `mutation ($input: CommitRoleDrawSeedInput!) { commitRoleDrawSeed(input: $input) { id } }`,
        { input: { roleId: role.id, seed: "2".repeat(32) } },
      ],
      [
        `mutation ($input: RevealDrawSeedInput!) { revealDrawSeed(input: $input) { id } }`,
        { input: { drawId: draw.id, seed: "1".repeat(32) } },
      ],
      [
        `mutation ($input: CompostRoleInput!) { compostRole(input: $input) { id } }`,
        { input: { roleId: role.id, reasons: "mine now" } },
      ],
      [
        `mutation ($input: AdoptPactInput!) { adoptPact(input: $input) { id } }`,
        {
          input: {
            proposalId: proposal.id,
            sunsetAt: new Date(governance.clock().getTime() + 86_400_000).toISOString(),
          },
        },
      ],
      [
        `mutation ($input: ReratifyPactInput!) { reratifyPact(input: $input) { id } }`,
        {
          input: {
            pactId: pact.id,
            proposalId: proposal.id,
            sunsetAt: new Date(governance.clock().getTime() + 86_400_000).toISOString(),
          },
        },
      ],
      [
        `mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id } }`,
        { input: { assemblyId: assembly.id, text: "x" } },
      ],
      [
        `mutation ($input: AddReflectionInput!) { addReflection(input: $input) { id } }`,
        { input: { assemblyId: assembly.id, kind: "WIN", text: "x" } },
      ],
      [
        `mutation ($input: RecordMinutesInput!) { recordMinutes(input: $input) { id } }`,
        { input: { assemblyId: assembly.id, minutes: "x" } },
      ],
      [`mutation ($nodeId: ID!) { declareRelation(nodeId: $nodeId) { id } }`, { nodeId: node.id }],
      [`mutation ($nodeId: ID!) { withdrawRelation(nodeId: $nodeId) { id } }`, { nodeId: node.id }],
      [
        `mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { id } }`,
        { input: { nodeId: node.id, hypothesis: "x" } },
      ],
      [
        `mutation ($input: RecordReplacedCommandInput!) { recordReplacedCommand(input: $input) { id } }`,
        { input: { experimentId: experiment.id, description: "x" } },
      ],
      [
        `mutation ($input: PublishPlaybookInput!) { publishPlaybook(input: $input) { id } }`,
        { input: { experimentId: experiment.id, title: "x", steps: "x" } },
      ],
      [BODY, { id: "not-a-uuid" }],
    ] as const;
    for (const [query, variables] of notFound) {
      expect({
        query,
        ...(await governance.refused(query, variables as Record<string, unknown>, outsider)),
      }).toMatchObject({ query, code: "NOT_FOUND" });
    }
    const forbidden = [
      [`query ($circleId: ID!) { bodies(circleId: $circleId) { items { id } } }`],
      [DECISION_LOG],
      [VERIFY_LOG],
      [`query ($circleId: ID!) { pacts(circleId: $circleId) { items { id } } }`],
      [`query ($circleId: ID!) { constitution(circleId: $circleId) { isEdgeOnly } }`],
      [`query ($circleId: ID!) { assemblies(circleId: $circleId) { items { id } } }`],
      [`query ($circleId: ID!) { powerMap(circleId: $circleId) { items { id } } }`],
      [`query ($circleId: ID!) { experiments(circleId: $circleId) { items { id } } }`],
      [`query ($circleId: ID!) { compostArchive(circleId: $circleId) { items { id } } }`],
      [
        `mutation ($circleId: ID!) { createBody(input: { circleId: $circleId, name: "x", kind: ASSEMBLY, decisionRule: CONSENT, size: 3 }) { id } }`,
      ],
      [
        `mutation ($circleId: ID!) { createAssembly(input: { circleId: $circleId, kind: COMMONS, title: "x" }) { id } }`,
      ],
      [
        `mutation ($circleId: ID!) { addPowerNode(input: { circleId: $circleId, kind: POLICE, label: "x", flows: [FINES] }) { id } }`,
      ],
    ];
    for (const [query] of forbidden) {
      expect({ query, ...(await governance.refused(query, { circleId: circle.id }, outsider)) }).toMatchObject({
        query,
        code: "FORBIDDEN",
      });
    }
    expect(
      (
        await governance.refused(`query ($circleId: ID!) { bodies(circleId: $circleId) { items { id } } }`, {
          circleId: circle.id,
        })
      ).code,
    ).toBe("UNAUTHENTICATED");

    const references = [
      ["GovernanceBody", body.id],
      ["Proposal", proposal.id],
      ["GovernanceRole", role.id],
      ["Pact", pact.id],
      ["Assembly", assembly.id],
      ["PowerNode", node.id],
      ["Experiment", experiment.id],
    ];
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on GovernanceBody { id } ... on Proposal { id } ... on GovernanceRole { id } ... on Pact { id } ... on Assembly { id } ... on PowerNode { id } ... on Experiment { id } } }`;
    const representations = references.map(([__typename, id]) => ({ __typename, id }));
    expect((await governance.ok(ENTITIES, { representations }, outsider))._entities).toEqual(
      references.map(() => null),
    );
    expect((await governance.ok(ENTITIES, { representations }, e1))._entities).toEqual(
      references.map(([__typename, id]) => ({ __typename, id })),
    );

    expect(await circleSnapshot(governance.service.runtime.db, circle.id)).toEqual(before);
  });

  it("bad input gets a clear code and changes nothing", async () => {
    const circle = await circleWith({ e1: "EDGE" });
    const e1 = circle.members.e1;
    const body = await seatedBody(governance, circle, [e1], { decisionRule: "CONSENT" });
    await untilGovernanceKnows(circle.id);
    const before = await circleSnapshot(governance.service.runtime.db, circle.id);
    const create = `mutation ($input: CreateProposalInput!) { createProposal(input: $input) { id } }`;
    const inAnHour = new Date(governance.clock().getTime() + 3_600_000).toISOString();
    expect(
      await governance.refused(create, { input: { bodyId: body.id, title: "", text: "t", closesAt: inAnHour } }, e1),
    ).toEqual({ code: "BAD_USER_INPUT", message: "A proposal's title cannot be empty." });
    expect(
      (
        await governance.refused(
          create,
          { input: { bodyId: body.id, title: "t", text: "t", closesAt: "yesterday" } },
          e1,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (
        await governance.refused(
          create,
          {
            input: {
              bodyId: body.id,
              title: "t",
              text: "t",
              closesAt: new Date(governance.clock().getTime() - 1000).toISOString(),
            },
          },
          e1,
        )
      ).message,
    ).toContain("must be in the future");
    expect(
      (
        await governance.refused(
          create,
          { input: { bodyId: body.id, title: "t", text: "x".repeat(10_001), closesAt: inAnHour } },
          e1,
        )
      ).message,
    ).toContain("at most 10000 characters");
    expect(
      (
        await governance.refused(
          create,
          {
            input: {
              bodyId: body.id,
              title: "t",
              text: "t",
              closesAt: new Date(governance.clock().getTime() + 400 * 86_400_000).toISOString(),
            },
          },
          e1,
        )
      ).message,
    ).toContain("at most 366 days ahead");
    expect(
      (
        await governance.refused(
          `query ($circleId: ID!) { decisionLog(circleId: $circleId, first: 0) { items { seq } } }`,
          { circleId: circle.id },
          e1,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (
        await governance.refused(
          `query ($circleId: ID!) { decisionLog(circleId: $circleId, after: "garbage") { items { seq } } }`,
          { circleId: circle.id },
          e1,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect((await governance.refused(`query { verifyDraw(id: "nope") { matches } }`, {})).code).toBe("NOT_FOUND");
    expect(await circleSnapshot(governance.service.runtime.db, circle.id)).toEqual(before);
  });
});

/** Governance learns of a circle from network's event, which may arrive after the test's first writes: a snapshot taken before it would see the row appear. */
async function untilGovernanceKnows(circleId: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (
          (await governance.service.runtime.db.query(`SELECT 1 FROM circles WHERE circle_id = $1`, [
            circleId,
          ])) as unknown[]
        ).length,
      { timeout: 30_000 },
    )
    .toBe(1);
}
