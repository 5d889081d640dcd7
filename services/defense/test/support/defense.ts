import { randomUUID } from "node:crypto";
import { manualClock } from "@rhizome/kit";
import {
  failure,
  startTestService,
  succeed,
  testMember,
  type TestMember,
  type TestService,
  type TestServiceOptions,
} from "@rhizome/kit/testing";
import type { DefenseConfig } from "../../src/config.js";
import { defenseService } from "../../src/service.js";

/** Far enough ahead that no real clock (the test hub's own defense process) finds these steps due. */
export const TEST_START = new Date("2031-03-03T09:00:00Z");

export type DefenseTestService = TestService<DefenseConfig>;

/**
 * Defense on a database of its own, so no other process's sweep acts on its rows with another
 * clock, with a quick sweep and quick webhook retries. The clock only moves when a test moves it.
 */
export async function startDefense(options: TestServiceOptions & { clock?: ReturnType<typeof manualClock> } = {}) {
  const clock = options.clock ?? manualClock(TEST_START);
  const service = await startTestService(defenseService, {
    ownDatabase: options.env?.DATABASE_URL === undefined,
    ...options,
    clock,
    env: { DEFENSE_SWEEP_INTERVAL_MS: "40", DEFENSE_WEBHOOK_RETRY_BASE_MS: "20", ...options.env },
  });
  return { service, clock };
}

export interface TestCircle {
  id: string;
  organizer: TestMember;
  member(roles?: Array<"member" | "steward" | "organizer">): Promise<TestMember>;
}

export async function newCircle(): Promise<TestCircle> {
  const id = randomUUID();
  return {
    id,
    organizer: await testMember(id, ["member", "organizer"]),
    member: (roles = ["member"]) => testMember(id, roles),
  };
}

export function api(service: DefenseTestService) {
  return {
    ok: (query: string, variables: Record<string, unknown>, who?: TestMember) =>
      succeed(service.url, query, variables, who?.token),
    fails: (query: string, variables: Record<string, unknown>, who?: TestMember) =>
      failure(service.url, query, variables, who?.token),
  };
}

export const ops = {
  createBranch: `mutation ($input: CreateResponderBranchInput!) { createResponderBranch(input: $input) { id name parentBranchId } }`,
  join: `mutation ($input: JoinRespondersInput!) { joinResponders(input: $input) { id isTrusted contactKind contact shifts { weekday } } }`,
  trust: `mutation ($id: ID!) { trustResponder(responderId: $id) { id isTrusted } }`,
  raise: `mutation ($input: RaiseAlertInput!) { raiseAlert(input: $input) { id status place text raisedByMe } }`,
  alert: `query ($id: ID!) { defenseAlert(id: $id) { id status text verifications broadcastRecipients calls { step branchId responderId calledAt dueAt acknowledgedAt escalatedAt } log { at kind step responderId } } }`,
  acknowledge: `mutation ($id: ID!) { acknowledgeAlert(alertId: $id) { id } }`,
  verify: `mutation ($id: ID!) { verifyAlert(alertId: $id) { id status } }`,
  falseAlarm: `mutation ($id: ID!) { markFalseAlarm(alertId: $id) { id status closedAt } }`,
  inbox: `query ($first: Int, $after: String) { myDefenseNotifications(first: $first, after: $after) { items { id kind caseId message circle { id } } nextCursor } }`,
  webhook: `mutation ($input: SetDefenseWebhookInput!) { setDefenseWebhook(input: $input) { webhook { id url } secret } }`,
  configure: `mutation ($input: ConfigureDefenseInput!) { configureDefense(input: $input) { verificationsNeeded callTimeoutMinutes fundApprovalsNeeded } }`,
};

/** A responder in `branchId` of the member's circle; trusted when an organizer says so. */
export async function responder(
  service: DefenseTestService,
  circle: TestCircle,
  branchId: string,
  options: { trusted?: boolean; contact?: string; shifts?: unknown[] } = {},
) {
  const member = await circle.member();
  const call = api(service);
  const joined = (
    await call.ok(
      ops.join,
      {
        input: {
          circleId: circle.id,
          branchId,
          contactKind: options.contact ? "SMS" : "INBOX",
          contact: options.contact ?? null,
          shifts: options.shifts ?? [],
        },
      },
      member,
    )
  ).joinResponders;
  if (options.trusted) await call.ok(ops.trust, { id: joined.id }, circle.organizer);
  return { ...member, responderId: joined.id as string };
}

export async function branch(
  service: DefenseTestService,
  circle: TestCircle,
  name: string,
  parentBranchId: string | null = null,
): Promise<string> {
  return (
    await api(service).ok(ops.createBranch, { input: { circleId: circle.id, name, parentBranchId } }, circle.organizer)
  ).createResponderBranch.id;
}

export const MINUTE_MS = 60_000;

export interface StoredCall {
  step: number;
  branchId: string;
  responderId: string;
  acknowledgedAt: string | null;
  escalatedAt: string | null;
}

/**
 * Every call of an alert, as the database holds them: what the tree did, which no member can read
 * whole through the API (each responder sees their own calls only).
 */
export async function storedCalls(service: DefenseTestService, alertId: string): Promise<StoredCall[]> {
  const rows: Array<{
    step: number;
    chain_branch_id: string;
    responder_id: string;
    acknowledged_at: Date | null;
    escalated_at: Date | null;
  }> = await service.runtime.db.query(
    `SELECT step, chain_branch_id, responder_id, acknowledged_at, escalated_at FROM alert_calls WHERE alert_id = $1 ORDER BY called_at, step, id`,
    [alertId],
  );
  return rows.map((r) => ({
    step: r.step,
    branchId: r.chain_branch_id,
    responderId: r.responder_id,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    escalatedAt: r.escalated_at?.toISOString() ?? null,
  }));
}
