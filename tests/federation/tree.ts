import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { barterService } from "@rhizome/barter";
import { findFreePorts, REPO_ROOT } from "@rhizome/infra";
import { manualClock, type Clock } from "@rhizome/kit";
import {
  failure,
  freshDatabase,
  hubEnvironment,
  startTestService,
  succeed,
  testMember,
  type TestMember,
} from "@rhizome/kit/testing";

/**
 * A Credit Commons tree of Rhizome hubs on one machine: a trunk and two branches ("east" and
 * "west"), each a barter service with its own database, Redis key prefix and port, grafted onto
 * each other by configuration as operators would. Only barter runs on each: it is the node.
 */
export const OPERATOR_KEY = "operator-key-of-every-test-hub-000000";
export const KEY_EAST = `east-trunk-${randomBytes(12).toString("hex")}`;
export const KEY_WEST = `west-trunk-${randomBytes(12).toString("hex")}`;

export interface Hub {
  name: string;
  url: string;
  ccUrl: string;
  databaseUrl: string;
  clock: Clock & { set(instant: Date): void; advance(ms: number): void };
  stop(): Promise<void>;
}

export interface Ports {
  trunk: number;
  east: number;
  west: number;
}

export const ccUrlOf = (port: number) => `http://127.0.0.1:${port}/cc/`;

/** The environment of the trunk node: branches east and west at the given URLs. */
export function trunkEnv(ports: Ports, westUrl = ccUrlOf(ports.west)): Record<string, string> {
  return {
    CC_NODE_PATH: "trunk",
    CC_BRANCHES: JSON.stringify([
      { name: "east", url: ccUrlOf(ports.east), key: KEY_EAST },
      { name: "west", url: westUrl, key: KEY_WEST },
    ]),
  };
}

const branchEnv = (name: "east" | "west", ports: Ports): Record<string, string> => ({
  CC_NODE_PATH: `trunk/${name}`,
  CC_TRUNKWARD_URL: ccUrlOf(ports.trunk),
  CC_TRUNKWARD_KEY: name === "east" ? KEY_EAST : KEY_WEST,
});

/** Starts one node in the test process with a database of its own and a clock the test moves. */
export async function startNode(name: string, port: number, env: Record<string, string>, start: Date): Promise<Hub> {
  const clock = manualClock(start);
  const service = await startTestService(barterService, {
    ownDatabase: true,
    clock,
    env: { ROLE: "api", PORT: String(port), OPERATOR_KEY, CC_RELAY_TIMEOUT_MS: "4000", ...env },
  });
  return {
    name,
    url: service.url,
    ccUrl: ccUrlOf(port),
    databaseUrl: service.databaseUrl,
    clock,
    stop: () => service.stop(),
  };
}

export async function freePorts(): Promise<Ports> {
  const [trunk, east, west] = await findFreePorts(3);
  return { trunk, east, west };
}

/** The two branches, in the test process; `extraEnv` adds settings per branch (e.g. running its jobs). */
export async function startBranches(
  ports: Ports,
  start: Date,
  extraEnv: Partial<Record<"east" | "west", Record<string, string>>> = {},
): Promise<{ east: Hub; west: Hub }> {
  const [east, west] = await Promise.all([
    startNode("east", ports.east, { ...branchEnv("east", ports), ...extraEnv.east }, start),
    startNode("west", ports.west, { ...branchEnv("west", ports), ...extraEnv.west }, start),
  ]);
  return { east, west };
}

/**
 * The trunk as a process of its own (compiled barter), so a test can kill it outright. Its clock
 * is the machine's.
 */
export async function startTrunkProcess(
  ports: Ports,
  databaseUrl: string,
  env: Record<string, string> = trunkEnv(ports),
): Promise<{ process: ChildProcess; kill(): Promise<void> }> {
  const hub = hubEnvironment();
  const serviceUrls = Object.fromEntries(
    Object.entries(hub.serviceUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]),
  );
  const [metricsPort] = await findFreePorts(1);
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "services/barter/dist/main.js")], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      ...serviceUrls,
      NODE_ENV: "test",
      LOG_LEVEL: "error",
      DATABASE_URL: databaseUrl,
      REDIS_URL: hub.redisUrl,
      TOKEN_SECRET: hub.tokenSecret,
      HOST: "127.0.0.1",
      PORT: String(ports.trunk),
      METRICS_PORT: String(metricsPort),
      ROLE: "api",
      OPERATOR_KEY,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The trunk process exited with ${child.exitCode} while starting.`);
    const isUp = await fetch(`http://127.0.0.1:${ports.trunk}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (isUp) break;
    if (Date.now() > deadline) throw new Error("The trunk process did not answer /health within 90 s.");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    process: child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

export { freshDatabase, manualClock };

/** Runs SQL on one hub's own database (its tables live in the barter schema). */
export async function query<Row = Record<string, unknown>>(
  databaseUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SET search_path TO barter");
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Everything a hub's ledgers hold about one transaction, and whether each ledger still balances. */
export async function ledgersOf(hub: Hub, uuid: string) {
  const [transaction] = await query<{ state: string; cycle: string }>(
    hub.databaseUrl,
    `SELECT state, cycle FROM cc_transactions WHERE uuid = $1`,
    [uuid],
  );
  const nodeEntries = await query<{ side: string; amount_minutes: number; cycle: string }>(
    hub.databaseUrl,
    `SELECT side, amount_minutes, cycle FROM cc_node_entries WHERE transaction_uuid = $1 ORDER BY side`,
    [uuid],
  );
  const circleEntries = await query<{ kind: string; amount_minutes: number; cycle: string }>(
    hub.databaseUrl,
    `SELECT a.kind, e.amount_minutes, e.cycle FROM transfers t JOIN entries e ON e.transfer_id = t.id JOIN accounts a ON a.id = e.account_id
     WHERE t.cc_transaction_id = $1 ORDER BY a.kind`,
    [uuid],
  );
  const [unbalanced] = await query<{ node_total: string | null; circles_total: string | null; drift: string }>(
    hub.databaseUrl,
    `SELECT (SELECT sum(amount_minutes) FROM cc_node_entries) AS node_total,
            (SELECT sum(amount_minutes) FROM entries) AS circles_total,
            (SELECT count(*) FROM cc_node_balances b WHERE b.balance_minutes <>
               COALESCE((SELECT sum(e.amount_minutes) FROM cc_node_entries e WHERE e.side = b.side AND e.cycle = b.cycle), 0)) AS drift`,
  );
  return {
    state: transaction?.state,
    cycle: transaction?.cycle,
    nodeEntries: nodeEntries.map((e) => ({ side: e.side, minutes: e.amount_minutes, cycle: e.cycle })),
    circleEntries: circleEntries.map((e) => ({ account: e.kind, minutes: e.amount_minutes, cycle: e.cycle })),
    isBalanced:
      Number(unbalanced.node_total ?? 0) === 0 &&
      Number(unbalanced.circles_total ?? 0) === 0 &&
      unbalanced.drift === "0",
  };
}

/** A circle on a branch that joined the tree, with its organizer and some members. */
export interface BranchCircle {
  circleId: string;
  ledgerName: string;
  organizer: TestMember;
  members: TestMember[];
}

const JOIN = `mutation ($circleId: ID!, $ledgerName: String!, $limit: Int!) {
  joinCreditCommons(circleId: $circleId, ledgerName: $ledgerName, tradeLimitMinutes: $limit) { path tradeLimitMinutes } }`;
export const ADDRESS = `query ($circleId: ID!) { creditCommonsAddress(circleId: $circleId) }`;
export const PROPOSE = `mutation ($circleId: ID!, $payeePath: String!, $minutes: Int!) {
  proposeRemoteExchange(circleId: $circleId, payeePath: $payeePath, minutes: $minutes) { id role otherAccountPath minutes cycle status } }`;
export const CONFIRM = `mutation ($id: ID!) { confirmRemoteExchange(id: $id) { id role status cycle decidedAt } }`;
export const CANCEL = `mutation ($id: ID!) { cancelRemoteExchange(id: $id) { id status } }`;
export const MINE = `query ($circleId: ID!) { myRemoteExchanges(circleId: $circleId) { items { id role otherAccountPath minutes status } } }`;
export const NODE = `query { creditCommonsNode { path trunkwardName branchNames cycle balances { side balanceMinutes } pendingTransactions { id payerPath payeePath minutes } } }`;

export const graphqlUrl = (hub: Hub) => `${hub.url}/graphql`;

export async function joinedCircle(
  hub: Hub,
  ledgerName: string,
  memberCount: number,
  limitMinutes = 600,
): Promise<BranchCircle> {
  const circleId = randomUUID();
  const organizer = await testMember(circleId, ["member", "organizer"]);
  const members = await Promise.all(Array.from({ length: memberCount }, () => testMember(circleId)));
  await succeed(graphqlUrl(hub), JOIN, { circleId, ledgerName, limit: limitMinutes }, organizer.token);
  return { circleId, ledgerName, organizer, members };
}

export async function addressOf(hub: Hub, member: TestMember): Promise<string> {
  return (await succeed(graphqlUrl(hub), ADDRESS, { circleId: member.circleId }, member.token)).creditCommonsAddress;
}

export { failure, succeed };
