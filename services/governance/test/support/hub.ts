import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { cycleContaining, manualClock, runCycleOnce, type CircleRole } from "@rhizome/kit";
import {
  createInvitation,
  eventually,
  foundCircle,
  hubEnvironment,
  personToken,
  startTestService,
  succeed,
  failure,
  joinCircle,
  type TestService,
} from "@rhizome/kit/testing";
import { blocChangesJob } from "../../src/jobs/bloc-changes.js";
import type { GovernanceConfig } from "../../src/config.js";
import { governanceService } from "../../src/service.js";

export type Bloc = "EDGE" | "ADVANTAGED";

export interface Member {
  circleId: string;
  memberId: string;
  token: string;
  /** The session network opened when the member joined, for network's own mutations through the gateway. */
  sessionToken?: string;
}

export interface Circle {
  id: string;
  organizer: Member;
  members: Record<string, Member>;
}

/** A tokens that outlives the test (network's own last 60 s), naming the member as network knows them. */
async function tokenOf(circleId: string, memberId: string, roles: CircleRole[]): Promise<string> {
  return personToken(randomUUID(), [{ circleId, memberId, roles }]);
}

/**
 * A real circle in the test hub: founded through the gateway (the founder, an EDGE organizer) and
 * joined by one member per entry of `blocs`, each with the bloc given, so network answers governance's
 * bloc questions truthfully.
 */
export async function circleWith(blocs: Record<string, Bloc>): Promise<Circle> {
  const gatewayUrl = hubEnvironment().gatewayUrl;
  const circle = await foundCircle(gatewayUrl, "gov");
  const names = Object.keys(blocs);
  const code = names.length > 0 ? await createInvitation(gatewayUrl, circle, names.length) : "";
  const members: Record<string, Member> = {};
  for (const name of names) {
    const session = await joinCircle(gatewayUrl, code, name, blocs[name]);
    members[name] = {
      circleId: circle.id,
      memberId: session.memberId,
      token: await tokenOf(circle.id, session.memberId, ["member"]),
      sessionToken: session.token,
    };
  }
  const organizer = {
    circleId: circle.id,
    memberId: circle.organizer.memberId,
    token: await tokenOf(circle.id, circle.organizer.memberId, ["member", "organizer"]),
  };
  return { id: circle.id, organizer, members };
}

export interface Governance {
  service: TestService<GovernanceConfig>;
  clock: ReturnType<typeof manualClock>;
  /** Sends an operation that must succeed; returns its data. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
  ok(query: string, variables: Record<string, unknown>, as?: Member): Promise<any>;
  /** Sends an operation that must fail; returns its code and message. */
  refused(
    query: string,
    variables: Record<string, unknown>,
    as?: Member,
  ): Promise<{ code: string | undefined; message: string }>;
  /** Sends an operation for network through the gateway, as the member's own session; returns its data. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
  network(query: string, variables: Record<string, unknown>, as: Member): Promise<any>;
  /** Waits until governance heard of the circle's scheduled bloc changes, then runs the new moon's job that applies them. */
  followBlocChanges(circleId: string): Promise<void>;
}

/**
 * Governance in the test process, on a database of its own (so the hub's own governance never
 * closes its proposals by the real clock) and a clock the test moves, starting now.
 */
export function useGovernance(env: Record<string, string> = {}): Governance {
  const governance = { clock: manualClock(new Date()) } as Governance;
  beforeAll(async () => {
    governance.service = await startTestService(governanceService, { clock: governance.clock, ownDatabase: true, env });
    governance.ok = (query, variables, as) => succeed(governance.service.url, query, variables, as?.token);
    governance.refused = async (query, variables, as) => {
      const { code, message } = await failure(governance.service.url, query, variables, as?.token);
      return { code, message };
    };
    governance.network = (query, variables, as) =>
      succeed(hubEnvironment().gatewayUrl, query, variables, as.sessionToken);
    governance.followBlocChanges = async (circleId) => {
      const { runtime } = governance.service;
      await eventually(
        async () =>
          (await runtime.db.query(`SELECT 1 FROM bloc_changes WHERE circle_id = $1`, [circleId])).length > 0
            ? true
            : undefined,
        "governance to hear of the bloc change",
      );
      const ended = cycleContaining(new Date(cycleContaining(governance.clock()).startsAt.getTime() - 1));
      await runCycleOnce(
        runtime.db,
        blocChangesJob,
        circleId,
        ended.label,
        governance.clock(),
        runtime.logger,
        runtime.registry,
      );
    };
  });
  afterAll(async () => {
    await governance.service?.stop();
  });
  return governance;
}

export const CREATE_BODY = `mutation ($input: CreateBodyInput!) { createBody(input: $input) { id name decisionRule size } }`;
export const TAKE_SEAT = `mutation ($bodyId: ID!) { takeSeat(bodyId: $bodyId) { kind body { id } } }`;
export const LEAVE_SEAT = `mutation ($bodyId: ID!) { leaveSeat(bodyId: $bodyId) { id } }`;
export const BODY = `query ($id: ID!) { body(id: $id) { id seatsTaken compositionHolds decidesByConsentOfEverySeat cannotDecideBecause mySeat seatHolders { id } } }`;
export const CREATE_PROPOSAL = `mutation ($input: CreateProposalInput!) { createProposal(input: $input) { id status closesAt kind } }`;
export const RESPOND = `mutation ($input: RespondInput!) { respond(input: $input) { id } }`;
export const PROPOSAL = `query ($id: ID!) { proposal(id: $id) { id status outcome myResponse { response reason } } }`;
export const DECISION_LOG = `query ($circleId: ID!, $first: Int, $after: String) { decisionLog(circleId: $circleId, first: $first, after: $after) {
  items { seq proposalId outcome rule reasons previousHash hash tally { eligible consent standAside object veto } } nextCursor } }`;
export const VERIFY_LOG = `query ($circleId: ID!) { verifyDecisionLog(circleId: $circleId) { isIntact entriesChecked firstBrokenSeq headHash } }`;

/** A body of the circle with every given member seated (in the order given). */
export async function seatedBody(
  governance: Governance,
  circle: Circle,
  seated: Member[],
  input: { decisionRule: string; size?: number; quorumPercent?: number; name?: string },
) {
  const body = (
    await governance.ok(
      CREATE_BODY,
      {
        input: {
          circleId: circle.id,
          name: input.name ?? `Stewards ${randomUUID().slice(0, 8)}`,
          kind: "STEWARD_TEAM",
          decisionRule: input.decisionRule,
          size: input.size ?? 9,
          quorumPercent: input.quorumPercent,
        },
      },
      circle.organizer,
    )
  ).createBody;
  for (const member of seated) await governance.ok(TAKE_SEAT, { bodyId: body.id }, member);
  // A body decides by its composition as the new moon counted it: move on to the next one.
  governance.clock.set(nextNewMoon(governance.clock()));
  return body as { id: string };
}

/** A minute after the first new moon after `instant`. */
export function nextNewMoon(instant: Date): Date {
  return new Date(cycleContaining(instant).endsAt.getTime() + 60_000);
}

export async function propose(
  governance: Governance,
  bodyId: string,
  as: Member,
  closesInMs = 60 * 60_000,
  extra: Record<string, unknown> = {},
) {
  const closesAt = new Date(governance.clock().getTime() + closesInMs).toISOString();
  return (
    await governance.ok(
      CREATE_PROPOSAL,
      { input: { bodyId, title: "Open the tool shed on Sundays", text: "Keys rotate weekly.", closesAt, ...extra } },
      as,
    )
  ).createProposal as { id: string; closesAt: string };
}
