import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { manualClock } from "@rhizome/kit";
import {
  failure,
  hubEnvironment,
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

const TSX_LOADER_URL = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const WORKER_SCRIPT = fileURLToPath(new URL("./worker-process.ts", import.meta.url));

/**
 * A second defense worker in a process of its own, on the same database, Redis and queues as
 * `service`, its clock held at `at` (a clock file): what a second worker deployment, or a worker
 * beside a ROLE=all process, is in production.
 */
export async function startWorkerProcess(
  service: DefenseTestService,
  at: Date,
  env: Record<string, string> = {},
): Promise<{ stop(): Promise<void> }> {
  const hub = hubEnvironment();
  const dir = await mkdtemp(path.join(tmpdir(), "rhizome-defense-worker-"));
  const clockFile = path.join(dir, "clock");
  await writeFile(clockFile, at.toISOString());
  const child = spawn(process.execPath, ["--import", TSX_LOADER_URL, WORKER_SCRIPT], {
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(hub.serviceUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url])),
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      DATABASE_URL: service.databaseUrl,
      REDIS_URL: hub.redisUrl,
      TOKEN_SECRET: hub.tokenSecret,
      HOST: "127.0.0.1",
      PORT: "0",
      METRICS_PORT: "0",
      ROLE: "worker",
      CLOCK_FILE: clockFile,
      TEST_QUEUE_PREFIX: service.queuePrefix,
      DEFENSE_SWEEP_INTERVAL_MS: "40",
      DEFENSE_WEBHOOK_RETRY_BASE_MS: "20",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the defense worker process exited (${code}) before it was ready`)));
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
