import { describe, expect, it } from "vitest";
import { cycleByLabelOrThrow, cycleContaining, followingCycle, runCycleOnce } from "@rhizome/kit";
import { cycleReviewJob } from "../src/jobs/new-moon.js";
import { circleWith, useGovernance } from "./support/hub.js";

const governance = useGovernance();

const CREATE_ASSEMBLY = `mutation ($input: CreateAssemblyInput!) { createAssembly(input: $input) { id kind cycle } }`;
const ADD_ITEM = `mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id text } }`;
const REFLECT = `mutation ($input: AddReflectionInput!) { addReflection(input: $input) { id kind mayQuote } }`;
const MINUTES = `mutation ($input: RecordMinutesInput!) { recordMinutes(input: $input) { id minutes } }`;
const ASSEMBLIES = `query ($circleId: ID!) { assemblies(circleId: $circleId) { items { id kind cycle minutes agenda { text } reflections { kind text mayQuote } } } }`;
const ADD_NODE = `mutation ($input: AddPowerNodeInput!) { addPowerNode(input: $input) { id kind label flows } }`;
const DECLARE = `mutation ($nodeId: ID!) { declareRelation(nodeId: $nodeId) { id } }`;
const POWER_MAP = `query ($circleId: ID!) { powerMap(circleId: $circleId) { items { id label flows coerced { total edge advantaged } } } }`;
const START = `mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { id status cycle commandsReplaced } }`;
const RECORD = `mutation ($input: RecordReplacedCommandInput!) { recordReplacedCommand(input: $input) { id commandsReplaced } }`;
const EXPERIMENT = `query ($id: ID!) { experiment(id: $id) { id status commandsReplaced judgedAt } }`;
const PUBLISH = `mutation ($input: PublishPlaybookInput!) { publishPlaybook(input: $input) { id title nodeKind commandsReplaced } }`;
const PLAYBOOKS = `query { playbooks(first: 500) { items { id title hypothesis } } }`;
const COPY = `mutation ($input: CopyPlaybookInput!) { copyPlaybook(input: $input) { id status hypothesis copiedFromPlaybookId } }`;

describe("assemblies (G6)", () => {
  it("shadow assemblies are called by any member and take items from every member, publishing only edge members' items when the agenda closes; one commons assembly a cycle gathers minutes and reflections", async () => {
    const circle = await circleWith({ e1: "EDGE", a1: "ADVANTAGED" });
    const { e1, a1 } = circle.members;
    // Any member calls one, whatever their bloc: an assembly only the edge could call would show its caller's.
    const shadow = (
      await governance.ok(
        CREATE_ASSEMBLY,
        { input: { circleId: circle.id, kind: "SHADOW", title: "Renters in arrears" } },
        a1,
      )
    ).createAssembly;
    expect(shadow.kind).toBe("SHADOW");
    for (const title of ["Second", "Third"])
      await governance.ok(CREATE_ASSEMBLY, { input: { circleId: circle.id, kind: "SHADOW", title } }, a1);
    expect(
      await governance.refused(
        CREATE_ASSEMBLY,
        { input: { circleId: circle.id, kind: "SHADOW", title: "Fourth" } },
        a1,
      ),
    ).toEqual({ code: "CONFLICT", message: expect.stringContaining("at most 3 shadow assemblies a lunar cycle") });
    // Its minutes are recorded by whoever called it, or an organizer; never by bloc.
    expect(
      (await governance.refused(MINUTES, { input: { assemblyId: shadow.id, minutes: "Edge notes" } }, e1)).code,
    ).toBe("FORBIDDEN");
    await governance.ok(MINUTES, { input: { assemblyId: shadow.id, minutes: "Caller's notes" } }, a1);
    expect(
      (
        await governance.ok(
          MINUTES,
          { input: { assemblyId: shadow.id, minutes: "Organizer's notes" } },
          circle.organizer,
        )
      ).recordMinutes.minutes,
    ).toBe("Organizer's notes");
    // Every member may submit to a shadow agenda and is answered alike; only edge items are published, at the close.
    await governance.ok(ADD_ITEM, { input: { assemblyId: shadow.id, text: "Landlord meeting" } }, a1);
    await governance.ok(ADD_ITEM, { input: { assemblyId: shadow.id, text: "Where coercion interrupts our week" } }, e1);

    const commons = (
      await governance.ok(
        CREATE_ASSEMBLY,
        { input: { circleId: circle.id, kind: "COMMONS", title: "Moon assembly" } },
        a1,
      )
    ).createAssembly;
    expect(commons.cycle).toBe(cycleContaining(governance.clock()).label);
    expect(
      (
        await governance.refused(
          CREATE_ASSEMBLY,
          { input: { circleId: circle.id, kind: "COMMONS", title: "Again" } },
          e1,
        )
      ).code,
    ).toBe("CONFLICT");
    await governance.ok(ADD_ITEM, { input: { assemblyId: commons.id, text: "Tool library audit" } }, a1);
    await governance.ok(
      REFLECT,
      { input: { assemblyId: commons.id, kind: "FAILURE", text: "The ladder went missing for a week." } },
      a1,
    );
    governance.clock.advance(60_000);
    await governance.ok(
      REFLECT,
      { input: { assemblyId: commons.id, kind: "WIN", text: "Twelve meals shared.", mayQuote: true } },
      e1,
    );
    await governance.ok(MINUTES, { input: { assemblyId: commons.id, minutes: "We agreed to rotate keys." } }, e1);
    expect(
      (
        await governance.refused(
          REFLECT,
          { input: { assemblyId: commons.id, kind: "TENSION", text: "x".repeat(2001) } },
          e1,
        )
      ).message,
    ).toContain("at most 2000 characters");

    const listed = (await governance.ok(ASSEMBLIES, { circleId: circle.id }, a1)).assemblies.items;
    expect(listed.find((a: { id: string }) => a.id === commons.id)).toMatchObject({
      minutes: "We agreed to rotate keys.",
      agenda: [{ text: "Tool library audit" }],
      reflections: [
        { kind: "FAILURE", mayQuote: false },
        { kind: "WIN", text: "Twelve meals shared.", mayQuote: true },
      ],
    });
    expect(listed.find((a: { id: string }) => a.id === shadow.id).agenda).toEqual([]);

    governance.clock.set(cycleContaining(governance.clock()).endsAt);
    const closed = (await governance.ok(ASSEMBLIES, { circleId: circle.id }, a1)).assemblies.items;
    expect(closed.find((a: { id: string }) => a.id === shadow.id).agenda).toEqual([
      { text: "Where coercion interrupts our week" },
    ]);
    expect(
      await governance.refused(ADD_ITEM, { input: { assemblyId: shadow.id, text: "Too late" } }, e1),
    ).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("agenda closed at") });
  });
});

describe("the power map (G7) and experiments with playbooks (G8)", () => {
  it("counts who a node can say no to by bloc, once a cycle, suppressing small counts, and an experiment replacing its commands becomes a playbook another circle copies", async () => {
    const blocs = {
      e1: "EDGE",
      e2: "EDGE",
      e3: "EDGE",
      e4: "EDGE",
      e5: "EDGE",
      a1: "ADVANTAGED",
      a2: "ADVANTAGED",
    } as const;
    const circle = await circleWith(blocs);
    const landlord = (
      await governance.ok(
        ADD_NODE,
        {
          input: {
            circleId: circle.id,
            kind: "LANDLORD",
            label: "The towers' management company",
            flows: ["RENT", "FINES"],
          },
        },
        circle.members.e1,
      )
    ).addPowerNode;
    expect(
      (
        await governance.refused(
          ADD_NODE,
          { input: { circleId: circle.id, kind: "LANDLORD", label: "x", flows: [] } },
          circle.members.e1,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    const coercedOf = async () =>
      (await governance.ok(POWER_MAP, { circleId: circle.id }, circle.members.a1)).powerMap.items[0].coerced;

    for (const name of ["e1", "e2", "a1"] as const)
      await governance.ok(DECLARE, { nodeId: landlord.id }, circle.members[name]);
    expect(await coercedOf()).toEqual({ total: null, edge: null, advantaged: null });
    for (const name of ["e3", "e4", "e5", "a2"] as const)
      await governance.ok(DECLARE, { nodeId: landlord.id }, circle.members[name]);
    // Counted at the first reading after a new moon, never live.
    expect(await coercedOf()).toEqual({ total: null, edge: null, advantaged: null });
    governance.clock.set(new Date(cycleContaining(governance.clock()).endsAt.getTime() + 60_000));
    expect(await coercedOf()).toEqual({ total: 7, edge: null, advantaged: null });
    expect((await governance.refused(DECLARE, { nodeId: landlord.id }, circle.members.e1)).code).toBe("CONFLICT");
    const stored: Array<Record<string, unknown>> = await governance.service.runtime.db.query(
      `SELECT * FROM power_relations WHERE node_id = $1`,
      [landlord.id],
    );
    expect(JSON.stringify(stored)).not.toMatch(/EDGE|ADVANTAGED/);

    const experiment = (
      await governance.ok(
        START,
        { input: { nodeId: landlord.id, hypothesis: "A rent-strike escrow turns tenants into co-owners." } },
        circle.members.e2,
      )
    ).startExperiment;
    const idle = (
      await governance.ok(
        START,
        { input: { nodeId: landlord.id, hypothesis: "Nothing will happen." } },
        circle.members.e2,
      )
    ).startExperiment;
    await governance.ok(
      RECORD,
      {
        input: {
          experimentId: experiment.id,
          description: "Repairs agreed among tenants instead of ordered by the manager.",
        },
      },
      circle.members.e3,
    );
    expect(
      (
        await governance.ok(
          RECORD,
          { input: { experimentId: experiment.id, description: "Rent date set by the tenants' assembly." } },
          circle.members.a1,
        )
      ).recordReplacedCommand.commandsReplaced,
    ).toBe(2);
    const events = await governance.service.runtime.db.query(
      `SELECT payload FROM outbox WHERE topic = 'command.replaced' AND circle_id = $1`,
      [circle.id],
    );
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events)).not.toMatch(/EDGE|ADVANTAGED|members/);

    const { runtime } = governance.service;
    const cycle = cycleByLabelOrThrow(experiment.cycle);
    governance.clock.set(cycle.endsAt);
    await runCycleOnce(
      runtime.db,
      cycleReviewJob,
      circle.id,
      cycle.label,
      governance.clock(),
      runtime.logger,
      runtime.registry,
    );
    expect((await governance.ok(EXPERIMENT, { id: experiment.id }, circle.members.e1)).experiment).toMatchObject({
      status: "SUCCEEDED",
      commandsReplaced: 2,
    });
    expect((await governance.ok(EXPERIMENT, { id: idle.id }, circle.members.e1)).experiment.status).toBe(
      "INCONCLUSIVE",
    );
    expect(
      (
        await governance.refused(
          RECORD,
          { input: { experimentId: experiment.id, description: "late" } },
          circle.members.e1,
        )
      ).code,
    ).toBe("CONFLICT");
    const next = followingCycle(cycle).label;
    expect(
      (await governance.ok(ASSEMBLIES, { circleId: circle.id }, circle.members.e1)).assemblies.items.some(
        (a: { kind: string; cycle: string }) => a.kind === "COMMONS" && a.cycle === next,
      ),
    ).toBe(true);

    expect(
      (
        await governance.refused(
          PUBLISH,
          { input: { experimentId: idle.id, title: "Nothing", steps: "Wait." } },
          circle.members.e1,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    const playbook = (
      await governance.ok(
        PUBLISH,
        {
          input: {
            experimentId: experiment.id,
            title: "Rent-strike escrow",
            steps: "1. Open an escrow. 2. Agree repairs together.",
          },
        },
        circle.members.e1,
      )
    ).publishPlaybook;
    expect(playbook).toMatchObject({ nodeKind: "LANDLORD", commandsReplaced: 2 });
    expect((await governance.ok(PLAYBOOKS, {})).playbooks.items).toContainEqual({
      id: playbook.id,
      title: "Rent-strike escrow",
      hypothesis: "A rent-strike escrow turns tenants into co-owners.",
    });

    const other = await circleWith({});
    const theirNode = (
      await governance.ok(
        ADD_NODE,
        { input: { circleId: other.id, kind: "LANDLORD", label: "City housing office", flows: ["RENT"] } },
        other.organizer,
      )
    ).addPowerNode;
    expect(
      (await governance.refused(COPY, { input: { playbookId: playbook.id, nodeId: landlord.id } }, other.organizer))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await governance.ok(COPY, { input: { playbookId: playbook.id, nodeId: theirNode.id } }, other.organizer))
        .copyPlaybook,
    ).toMatchObject({
      status: "RUNNING",
      hypothesis: "A rent-strike escrow turns tenants into co-owners.",
      copiedFromPlaybookId: playbook.id,
    });
  });
});
