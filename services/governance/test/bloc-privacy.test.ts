import { describe, expect, it } from "vitest";
import { cycleContaining } from "@rhizome/kit";
import { graphql } from "@rhizome/kit/testing";
import { runDueDeadlines } from "../src/jobs/deadlines.js";
import {
  BODY,
  CREATE_BODY,
  CREATE_PROPOSAL,
  DECISION_LOG,
  LEAVE_SEAT,
  RESPOND,
  TAKE_SEAT,
  circleWith,
  nextNewMoon,
  propose,
  seatedBody,
  useGovernance,
  type Bloc,
  type Circle,
  type Member,
} from "./support/hub.js";

/*
 * An attacker who knows every other member's bloc reads everything a member may read around one
 * member's action. Each test builds the same story twice, once with that member (x) on the edge and
 * once advantaged, and the attacker's readings of both worlds must be equal: whatever x does, the
 * attacker learns nothing of x's bloc.
 */

const governance = useGovernance();
const HOUR_MS = 3_600_000;

/** What a member reads of a body, with member ids replaced by the names the attacker knows them by. */
async function bodyAsSeenBy(circle: Circle, bodyId: string, as: Member) {
  const body = (await governance.ok(BODY, { id: bodyId }, as)).body;
  const names = new Map(Object.entries(circle.members).map(([name, member]) => [member.memberId, name]));
  return {
    seatsTaken: body.seatsTaken,
    compositionHolds: body.compositionHolds,
    decidesByConsentOfEverySeat: body.decidesByConsentOfEverySeat,
    cannotDecideBecause: body.cannotDecideBecause,
    seatHolders: body.seatHolders.map((h: { id: string }) => names.get(h.id)).sort(),
  };
}

/** The answer to an operation as the one who sent it sees it, without its data (which may carry their own seat kind). */
async function answerTo(query: string, variables: Record<string, unknown>, as: Member) {
  const response = await graphql(governance.service.url, query, variables, as.token);
  const error = response.body.errors?.[0];
  return error ? { refused: true, code: error.extensions?.code, message: error.message } : { refused: false };
}

/** Log entries as the attacker reads them: rule, outcome, tally and reasons (ids and hashes differ between worlds). */
async function logAsSeenBy(circle: Circle, as: Member, proposalIds: string[]) {
  const items: Array<Record<string, unknown> & { proposalId: string }> = (
    await governance.ok(DECISION_LOG, { circleId: circle.id }, as)
  ).decisionLog.items;
  return proposalIds.map((id) => {
    const entry = items.find((e) => e.proposalId === id);
    return entry && { rule: entry.rule, outcome: entry.outcome, tally: entry.tally, reasons: entry.reasons };
  });
}

/** Puts a proposal; answers its id, or how it was refused (as the proposer sees it). */
async function tryPropose(bodyId: string, as: Member, extra: Record<string, unknown> = {}) {
  const closesAt = new Date(governance.clock().getTime() + HOUR_MS).toISOString();
  const variables = {
    input: { bodyId, title: "Open the tool shed on Sundays", text: "Keys rotate weekly.", closesAt, ...extra },
  };
  const response = await graphql(governance.service.url, CREATE_PROPOSAL, variables, as.token);
  const error = response.body.errors?.[0];
  return error
    ? { refused: true as const, code: error.extensions?.code, message: error.message }
    : { refused: false as const, id: response.body.data.createProposal.id as string };
}

async function closeAll(afterMs = HOUR_MS) {
  governance.clock.advance(afterMs);
  await runDueDeadlines(governance.service.runtime);
}

describe("a member who knows every other bloc learns nothing of one member's", () => {
  it("from taking and leaving seats: no refusal by bloc, no counts by kind, and composition only as the new moon counted it", async () => {
    const worlds = [];
    for (const xBloc of ["EDGE", "ADVANTAGED"] as Bloc[]) {
      governance.clock.set(new Date()); // each world starts at network's time, in a circle's first months
      const circle = await circleWith({
        e1: "EDGE",
        e2: "EDGE",
        a1: "ADVANTAGED",
        prober: "ADVANTAGED",
        target: xBloc,
      });
      const { e1, e2, a1, prober, target: x } = circle.members;
      const body = await seatedBody(governance, circle, [e1, e2, a1], { decisionRule: "CONSENT", size: 9 });
      const before = await bodyAsSeenBy(circle, body.id, e1);
      const xTakes = await answerTo(TAKE_SEAT, { bodyId: body.id }, x);
      const afterX = await bodyAsSeenBy(circle, body.id, e1);
      // The attacker probes with a seat of its own, as the attacker did after each newcomer.
      const probe = await answerTo(TAKE_SEAT, { bodyId: body.id }, prober);
      if (!probe.refused) await governance.ok(LEAVE_SEAT, { bodyId: body.id }, prober);
      await governance.ok(LEAVE_SEAT, { bodyId: body.id }, e2);
      const afterLeave = await bodyAsSeenBy(circle, body.id, e1);
      const proposal = await propose(governance, body.id, e1);
      await closeAll();
      const outcome = await logAsSeenBy(circle, e1, [proposal.id]);
      governance.clock.set(nextNewMoon(governance.clock()));
      const nextCycle = await bodyAsSeenBy(circle, body.id, e1);
      worlds.push({ before, xTakes, afterX, probe, afterLeave, outcome, nextCycle });
      expect(JSON.stringify({ xTakes, probe })).not.toMatch(/\d/);
    }
    expect(worlds[1]).toEqual(worlds[0]);
  });

  it("from a lone veto under consensus-minus-one: the log and the outcome are the same whatever the vetoer's bloc, and name nobody", async () => {
    const worlds = [];
    for (const xBloc of ["EDGE", "ADVANTAGED"] as Bloc[]) {
      governance.clock.set(new Date()); // each world starts at network's time, in a circle's first months
      const circle = await circleWith({
        e1: "EDGE",
        e2: "EDGE",
        e3: "EDGE",
        e4: "EDGE",
        a1: "ADVANTAGED",
        target: xBloc,
      });
      const { e1, e2, e3, e4, a1, target: x } = circle.members;
      const body = await seatedBody(governance, circle, [e1, e2, e3, e4, a1, x], {
        decisionRule: "CONSENSUS_MINUS_ONE",
      });
      const proposal = await propose(governance, body.id, e1);
      for (const member of [e1, e2, e3, e4, a1])
        await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, member);
      const xVetoes = await answerTo(
        RESPOND,
        { input: { proposalId: proposal.id, response: "VETO", reason: "It hands the keys to the landlord's agent" } },
        x,
      );
      await closeAll();
      const log = await logAsSeenBy(circle, e1, [proposal.id]);
      expect(JSON.stringify(log)).not.toContain(x.memberId);
      worlds.push({ xVetoes, log });
    }
    expect(worlds[1]).toEqual(worlds[0]);
    expect(worlds[0].log[0]).toMatchObject({
      outcome: "REJECTED",
      reasons: ["It hands the keys to the landlord's agent"],
      tally: { veto: 1 },
    });
  });

  it("from amendments in a circle's first six months: putting one, and two bodies that differ by one seat, give the same readings", async () => {
    const worlds = [];
    for (const xBloc of ["EDGE", "ADVANTAGED"] as Bloc[]) {
      governance.clock.set(new Date()); // each world starts at network's time, in a circle's first months
      const circle = await circleWith({
        e1: "EDGE",
        e2: "EDGE",
        e3: "EDGE",
        e4: "EDGE",
        a1: "ADVANTAGED",
        target: xBloc,
      });
      const { e1, e2, e3, e4, a1, target: x } = circle.members;
      const withX = await seatedBody(governance, circle, [e1, e2, e3, e4, a1, x], { decisionRule: "CONSENT" });
      const withoutX = await seatedBody(governance, circle, [e1, e2, e3, e4, a1], { decisionRule: "CONSENT" });
      const amendment = { title: "Rent escrow", text: "Tenants hold rent in escrow together." };
      const proposals = [];
      for (const [body, proposer] of [
        [withX, x],
        [withoutX, e1],
      ] as const) {
        const proposal = await propose(governance, body.id, proposer, HOUR_MS, { amendment });
        for (const member of [e1, e2])
          await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, member);
        proposals.push(proposal.id);
      }
      await answerTo(RESPOND, { input: { proposalId: proposals[0], response: "CONSENT" } }, x);
      await closeAll();
      worlds.push(await logAsSeenBy(circle, e1, proposals));
    }
    expect(worlds[1]).toEqual(worlds[0]);
    expect(worlds[0].map((entry) => entry?.outcome)).toEqual(["PASSED", "PASSED"]);
  });

  it("from taking the last seats of a small body and the fifth seat of a body of four: nothing read, refused or decided depends on that seat's kind", async () => {
    const worlds = [];
    for (const xBloc of ["EDGE", "ADVANTAGED"] as Bloc[]) {
      governance.clock.set(new Date()); // each world starts at network's time, in a circle's first months
      const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", a1: "ADVANTAGED", target: xBloc });
      const { e1, e2, e3, a1, target: x } = circle.members;
      const body = (
        await governance.ok(
          CREATE_BODY,
          {
            input: {
              circleId: circle.id,
              name: "Block stewards",
              kind: "STEWARD_TEAM",
              decisionRule: "CONSENSUS_MINUS_ONE",
              size: 9,
            },
          },
          circle.organizer,
        )
      ).createBody;
      for (const member of [e1, e2, a1]) await governance.ok(TAKE_SEAT, { bodyId: body.id }, member);
      const xTakes = await answerTo(TAKE_SEAT, { bodyId: body.id }, x);
      const fourSeats = await bodyAsSeenBy(circle, body.id, e1);
      // The body's first proposal, right after x sat: nothing may be counted from the seats now.
      const first = await tryPropose(body.id, e1);
      const firstAnswer = first.refused ? first : { refused: false };
      const outcomes = [];
      if (!first.refused) {
        for (const member of [e1, e2, a1])
          await governance.ok(RESPOND, { input: { proposalId: first.id, response: "CONSENT" } }, member);
        await closeAll();
        outcomes.push(...(await logAsSeenBy(circle, e1, [first.id])));
      }
      governance.clock.set(nextNewMoon(governance.clock()));
      const fourAtNewMoon = await bodyAsSeenBy(circle, body.id, e1);
      // The body grows from four to five seats in one cycle: its first count of 5 would hang on x's seat.
      await governance.ok(TAKE_SEAT, { bodyId: body.id }, e3);
      governance.clock.set(nextNewMoon(governance.clock()));
      const fiveAtNewMoon = await bodyAsSeenBy(circle, body.id, e1);
      const second = await tryPropose(body.id, e1);
      if (!second.refused) {
        await governance.ok(
          RESPOND,
          { input: { proposalId: second.id, response: "OBJECT", reason: "Sundays are for the market" } },
          e2,
        );
        await closeAll();
        outcomes.push(...(await logAsSeenBy(circle, e1, [second.id])));
      }
      worlds.push({
        xTakes,
        fourSeats,
        firstAnswer,
        fourAtNewMoon,
        fiveAtNewMoon,
        secondAnswer: second.refused ? second : { refused: false },
        outcomes,
      });
    }
    expect(worlds[1]).toEqual(worlds[0]);
    expect(worlds[0]).toMatchObject({
      fourAtNewMoon: { compositionHolds: null, decidesByConsentOfEverySeat: true, cannotDecideBecause: null },
      fiveAtNewMoon: { compositionHolds: null, decidesByConsentOfEverySeat: true, cannotDecideBecause: null },
      outcomes: [
        { rule: "CONSENT", outcome: "PASSED", tally: { eligible: 4, consent: 3 } },
        { rule: "CONSENT", outcome: "REJECTED", tally: { eligible: 5, object: 1 } },
      ],
    });
  });

  it("from an amendment in the circle's first six months: staying silent or vetoing gives the same answers, outcome and log whatever the seat's kind", async () => {
    const worlds = [];
    for (const xBloc of ["EDGE", "ADVANTAGED"] as Bloc[]) {
      governance.clock.set(new Date()); // each world starts at network's time, in a circle's first months
      const circle = await circleWith({
        e1: "EDGE",
        e2: "EDGE",
        e3: "EDGE",
        e4: "EDGE",
        a1: "ADVANTAGED",
        target: xBloc,
      });
      const { e1, e2, e3, e4, a1, target: x } = circle.members;
      const body = await seatedBody(governance, circle, [e1, e2, e3, e4, a1, x], { decisionRule: "CONSENSUS" });
      const amendment = { title: "Rent escrow", text: "Tenants hold rent in escrow together." };
      const silent = await propose(governance, body.id, e1, HOUR_MS, { amendment });
      const vetoed = await propose(governance, body.id, e1, HOUR_MS, { amendment });
      for (const member of [e1, e2, e3, e4, a1])
        for (const proposal of [silent, vetoed])
          await governance.ok(RESPOND, { input: { proposalId: proposal.id, response: "CONSENT" } }, member);
      const xVetoes = await answerTo(
        RESPOND,
        { input: { proposalId: vetoed.id, response: "VETO", reason: "Escrow needs a lawyer first" } },
        x,
      );
      await closeAll();
      worlds.push({ xVetoes, log: await logAsSeenBy(circle, e1, [silent.id, vetoed.id]) });
    }
    expect(worlds[1]).toEqual(worlds[0]);
    expect(worlds[0].log).toEqual([
      { rule: "CONSENT", outcome: "PASSED", reasons: [], tally: expect.objectContaining({ eligible: 6, consent: 5 }) },
      {
        rule: "CONSENT",
        outcome: "REJECTED",
        reasons: ["Escrow needs a lawyer first"],
        tally: expect.objectContaining({ eligible: 6, veto: 1 }),
      },
    ]);
  });

  it("from calling a shadow assembly and recording its minutes: every reading and every answer is the same whatever the caller's bloc", async () => {
    const CREATE_ASSEMBLY = `mutation ($input: CreateAssemblyInput!) { createAssembly(input: $input) { id kind } }`;
    const MINUTES = `mutation ($input: RecordMinutesInput!) { recordMinutes(input: $input) { minutes } }`;
    const ASSEMBLIES = `query ($circleId: ID!) { assemblies(circleId: $circleId) { items { kind title cycle meetsAt minutes agendaClosesAt agenda { text } } } }`;
    const worlds = [];
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    for (const xBloc of ["EDGE", "ADVANTAGED"] as Bloc[]) {
      governance.clock.set(start);
      const circle = await circleWith({ e1: "EDGE", a1: "ADVANTAGED", target: xBloc });
      const { e1, a1, target: x } = circle.members;
      const read = async () => (await governance.ok(ASSEMBLIES, { circleId: circle.id }, e1)).assemblies.items;
      const byEdge = (
        await governance.ok(
          CREATE_ASSEMBLY,
          { input: { circleId: circle.id, kind: "SHADOW", title: "Edge voices" } },
          e1,
        )
      ).createAssembly;
      const before = await read();
      governance.clock.advance(60_000);
      const called = await graphql(
        governance.service.url,
        CREATE_ASSEMBLY,
        { input: { circleId: circle.id, kind: "SHADOW", title: "Renters in arrears" } },
        x.token,
      );
      const xCalls = called.body.errors?.[0]
        ? { refused: true, code: called.body.errors[0].extensions?.code }
        : { refused: false, kind: called.body.data.createAssembly.kind };
      const afterCall = await read();
      const xRecords = called.body.data?.createAssembly
        ? await answerTo(
            MINUTES,
            { input: { assemblyId: called.body.data.createAssembly.id, minutes: "Six came." } },
            x,
          )
        : { refused: true };
      const xRecordsOthers = await answerTo(MINUTES, { input: { assemblyId: byEdge.id, minutes: "x" } }, x);
      const a1RecordsOthers = await answerTo(MINUTES, { input: { assemblyId: byEdge.id, minutes: "x" } }, a1);
      const afterMinutes = await read();
      worlds.push({ before, xCalls, afterCall, xRecords, xRecordsOthers, a1RecordsOthers, afterMinutes });
    }
    expect(worlds[1]).toEqual(worlds[0]);
    expect(worlds[0]).toMatchObject({
      xCalls: { refused: false, kind: "SHADOW" },
      xRecords: { refused: false },
      xRecordsOthers: { refused: true, code: "FORBIDDEN" },
    });
    expect(worlds[0].afterMinutes.map((a: { minutes: string | null }) => a.minutes)).toEqual(["Six came.", null]);
  });

  it("from declaring a relation on the power map: per-bloc figures are the closed cycle's, changed only by cohorts", async () => {
    const ADD_NODE = `mutation ($input: AddPowerNodeInput!) { addPowerNode(input: $input) { id } }`;
    const DECLARE = `mutation ($nodeId: ID!) { declareRelation(nodeId: $nodeId) { id } }`;
    const COERCED = `query ($circleId: ID!) { powerMap(circleId: $circleId) { items { coerced { total edge advantaged } } } }`;
    const worlds = [];
    for (const xBloc of ["EDGE", "ADVANTAGED"] as Bloc[]) {
      governance.clock.set(new Date()); // each world starts at network's time, in a circle's first months
      const known = {
        e1: "EDGE",
        e2: "EDGE",
        e3: "EDGE",
        e4: "EDGE",
        e5: "EDGE",
        a1: "ADVANTAGED",
        a2: "ADVANTAGED",
        a3: "ADVANTAGED",
        a4: "ADVANTAGED",
        a5: "ADVANTAGED",
      } as const;
      const circle = await circleWith({ ...known, target: xBloc });
      const node = (
        await governance.ok(
          ADD_NODE,
          {
            input: { circleId: circle.id, kind: "LANDLORD", label: "The towers' management company", flows: ["RENT"] },
          },
          circle.members.e1,
        )
      ).addPowerNode;
      for (const name of Object.keys(known)) await governance.ok(DECLARE, { nodeId: node.id }, circle.members[name]);
      const coerced = async () =>
        (await governance.ok(COERCED, { circleId: circle.id }, circle.members.e1)).powerMap.items[0].coerced;
      const sameCycle = await coerced();
      governance.clock.set(nextNewMoon(governance.clock()));
      const before = await coerced();
      await governance.ok(DECLARE, { nodeId: node.id }, circle.members.target);
      const after = await coerced();
      governance.clock.set(nextNewMoon(governance.clock()));
      const nextCycle = await coerced();
      worlds.push({ sameCycle, before, after, nextCycle });
    }
    expect(worlds[1]).toEqual(worlds[0]);
    expect(worlds[0]).toEqual({
      sameCycle: { total: null, edge: null, advantaged: null },
      before: { total: 10, edge: 5, advantaged: 5 },
      after: { total: 10, edge: 5, advantaged: 5 },
      nextCycle: { total: 10, edge: 5, advantaged: 5 },
    });
  });
});

describe("a member who changes their own bloc", () => {
  const CHANGE = `mutation ($input: ChangeMyBlocInput!) { changeMyBloc(input: $input) { bloc pendingBloc blocChangesAt } }`;
  const MY_SEAT = `query ($id: ID!) { body(id: $id) { mySeat } }`;

  it("sees it take effect at the next new moon, in the same batch as everyone's, and nobody else sees anything move", async () => {
    governance.clock.set(new Date());
    const circle = await circleWith({ e1: "EDGE", e2: "EDGE", e3: "EDGE", a1: "ADVANTAGED", target: "EDGE" });
    const { e1, e2, e3, a1, target: x } = circle.members;
    const body = await seatedBody(governance, circle, [e1, e2, e3, a1, x], { decisionRule: "CONSENT" });
    const node = (
      await governance.ok(
        `mutation ($input: AddPowerNodeInput!) { addPowerNode(input: $input) { id } }`,
        { input: { circleId: circle.id, kind: "EMPLOYER", label: "The warehouse", flows: ["WAGES"] } },
        e1,
      )
    ).addPowerNode;
    await governance.ok(`mutation ($nodeId: ID!) { declareRelation(nodeId: $nodeId) { id } }`, { nodeId: node.id }, x);
    const countsOf = async () =>
      Object.fromEntries(
        (
          (await governance.service.runtime.db.query(
            `SELECT bloc, members FROM power_relation_counts WHERE node_id = $1`,
            [node.id],
          )) as Array<{ bloc: string; members: number }>
        ).map((r) => [r.bloc, r.members]),
      );
    expect(await countsOf()).toEqual({ EDGE: 1 });
    const before = await bodyAsSeenBy(circle, body.id, e1);
    const changed = await governance.network(CHANGE, { input: { circleId: circle.id, bloc: "ADVANTAGED" } }, x);
    expect(changed.changeMyBloc).toMatchObject({ bloc: "EDGE", pendingBloc: "ADVANTAGED" });
    expect(new Date(changed.changeMyBloc.blocChangesAt).getTime()).toBe(cycleContaining(new Date()).endsAt.getTime());
    expect((await governance.ok(MY_SEAT, { id: body.id }, x)).body.mySeat).toBe("EDGE");
    expect(await bodyAsSeenBy(circle, body.id, e1)).toEqual(before);

    governance.clock.set(nextNewMoon(new Date(changed.changeMyBloc.blocChangesAt)));
    await governance.followBlocChanges(circle.id);
    expect((await governance.ok(MY_SEAT, { id: body.id }, x)).body.mySeat).toBe("ADVANTAGED");
    expect(await countsOf()).toEqual({ EDGE: 0, ADVANTAGED: 1 });
    expect((await governance.ok(BODY, { id: body.id }, e1)).body.compositionHolds).toBe(before.compositionHolds);
  });
});
