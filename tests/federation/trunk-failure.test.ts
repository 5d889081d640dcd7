import { createServer, type Server } from "node:http";
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining } from "@rhizome/kit";
import {
  addressOf,
  CANCEL,
  ccUrlOf,
  CONFIRM,
  failure,
  freePorts,
  freshDatabase,
  graphqlUrl,
  joinedCircle,
  ledgersOf,
  MINE,
  PROPOSE,
  query,
  startBranches,
  startTrunkProcess,
  succeed,
  trunkEnv,
  type BranchCircle,
  type Hub,
  type Ports,
} from "./tree.js";
import { findFreePorts } from "@rhizome/infra";
import { hasCompletionInDoubt, nodeTradeIn } from "../../services/barter/src/store/credit-commons.js";

/**
 * The trunk is a process of its own here, killed outright (SIGKILL) at the worst moments: between
 * the trunk and each branch sits a small proxy (the network between hubs) that lets the test act
 * while a request is on its way.
 */
const NOW = new Date(cycleContaining(new Date("2043-07-01T00:00:00.000Z")).startsAt.getTime() + 9 * 86_400_000);

let ports: Ports;
let trunkDatabaseUrl: string;
let trunk: Awaited<ReturnType<typeof startTrunkProcess>> | undefined;
let east: Hub;
let west: Hub;
let garden: BranchCircle;
let orchard: BranchCircle;
let clockFile: string;
const proxies: Server[] = [];
/** Called when a request from the trunk reaches the proxy in front of a branch, before it is passed on; false drops it. */
let onTheWay: (branch: "east" | "west", method: string, url: string) => Promise<boolean> = async () => true;

function proxyTo(branch: "east" | "west", port: number, target: number): Promise<Server> {
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", async () => {
      const shouldPass = await onTheWay(branch, request.method!, request.url!);
      if (!shouldPass) return response.destroy();
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => name.startsWith("cc-") || name === "content-type"),
      ) as Record<string, string>;
      const answer = await fetch(`http://127.0.0.1:${target}${request.url}`, {
        method: request.method,
        headers,
        body: raw || undefined,
      });
      response.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "application/json",
        "cc-node-trace": answer.headers.get("cc-node-trace") ?? "",
      });
      response.end(await answer.text());
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

const startTrunk = async () => {
  trunk = await startTrunkProcess(ports, trunkDatabaseUrl, {
    ...trunkEnv(ports, ccUrlOf(proxyPorts.west)),
    CC_BRANCHES: JSON.stringify(
      JSON.parse(trunkEnv(ports).CC_BRANCHES).map((branch: { name: "east" | "west" }) => ({
        ...branch,
        url: ccUrlOf(proxyPorts[branch.name]),
      })),
    ),
    CLOCK_FILE: clockFile,
  });
};
let proxyPorts: { east: number; west: number };

const trunkRows = (uuid: string) =>
  query(trunkDatabaseUrl, `SELECT state FROM cc_transactions WHERE uuid = $1`, [uuid]);

beforeAll(async () => {
  ports = await freePorts();
  const [eastProxy, westProxy] = await findFreePorts(2);
  proxyPorts = { east: eastProxy, west: westProxy };
  proxies.push(await proxyTo("east", eastProxy, ports.east), await proxyTo("west", westProxy, ports.west));
  clockFile = path.join(mkdtempSync(path.join(tmpdir(), "trunk-clock-")), "now");
  writeFileSync(clockFile, NOW.toISOString());
  trunkDatabaseUrl = await freshDatabase();
  // West, where the payees are, runs its workers: the job that re-sends completions left half-way.
  const [{ east: e, west: w }] = await Promise.all([
    startBranches(ports, NOW, { west: { ROLE: "all", CC_COMPLETION_RETRY_INTERVAL_MS: "300" } }),
    startTrunk(),
  ]);
  east = e;
  west = w;
  [garden, orchard] = await Promise.all([joinedCircle(east, "garden", 3), joinedCircle(west, "orchard", 3)]);
}, 180_000);

afterAll(async () => {
  onTheWay = async () => true;
  await trunk?.kill();
  await Promise.all([east, west].filter(Boolean).map((hub) => hub.stop()));
  await Promise.all(proxies.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("a trunk that dies", () => {
  it("before a relay: the payer is told nothing moved, and their hub holds nothing", async () => {
    await trunk!.kill();
    const [payer] = garden.members;
    const refused = await failure(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath: await addressOf(west, orchard.members[0]), minutes: 10 },
      payer.token,
    );
    expect(refused).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringContaining("nothing moved") });
    expect(await query(east.databaseUrl, `SELECT uuid FROM cc_transactions`)).toEqual([]);
    await startTrunk();
  });

  it("mid-relay: pending on the far side at most, refused where it started, and never completed anywhere", async () => {
    const [payer] = garden.members;
    const payee = orchard.members[1];
    const payeePath = await addressOf(west, payee);
    onTheWay = async (branch, method) => {
      if (branch === "west" && method === "POST") await trunk!.kill(); // the trunk dies with the relay on its way to west
      return true;
    };
    const refused = await failure(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath, minutes: 10 },
      payer.token,
    );
    onTheWay = async () => true;
    expect(refused.code).toBe("SERVICE_UNAVAILABLE");
    expect(await query(east.databaseUrl, `SELECT uuid FROM cc_transactions`)).toEqual([]);

    await startTrunk();
    const onWest = await query<{ uuid: string; state: string }>(
      west.databaseUrl,
      `SELECT uuid, state FROM cc_transactions WHERE payee_path = $1`,
      [payeePath],
    );
    expect(onWest).toEqual([{ uuid: expect.any(String), state: "pending" }]);
    const { uuid } = onWest[0];
    expect(await trunkRows(uuid)).toEqual([]);

    // The payee sees it waiting and confirms: the trunk never recorded it, so it is refused and erased.
    const mine = await succeed(graphqlUrl(west), MINE, { circleId: orchard.circleId }, payee.token);
    expect(mine.myRemoteExchanges.items).toEqual([expect.objectContaining({ id: uuid, status: "PENDING" })]);
    const confirm = await failure(graphqlUrl(west), CONFIRM, { id: uuid }, payee.token);
    expect(confirm).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("nothing moved") });
    expect(await ledgersOf(west, uuid)).toMatchObject({
      state: "erased",
      nodeEntries: [],
      circleEntries: [],
      isBalanced: true,
    });
    expect((await ledgersOf(east, uuid)).isBalanced).toBe(true);
  });

  it("mid-completion: the payee's hub re-sends the confirmation once the trunk is back, and it completes once on every ledger", async () => {
    const [, payer] = garden.members;
    const payee = orchard.members[2];
    const { proposeRemoteExchange: proposed } = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath: await addressOf(west, payee), minutes: 25 },
      payer.token,
    );
    // The trunk dies with the completion on its way to east, which receives it and commits.
    onTheWay = async (branch, method) => {
      if (branch === "east" && method === "PATCH") await trunk!.kill();
      return true;
    };
    const lost = await failure(graphqlUrl(west), CONFIRM, { id: proposed.id }, payee.token);
    onTheWay = async () => true;
    expect(lost).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringContaining("keeps sending it") });
    expect(await ledgersOf(west, proposed.id)).toMatchObject({ state: "pending", circleEntries: [] });
    await until(async () => (await ledgersOf(east, proposed.id)).state === "completed");
    // Confirmed and in doubt: the payee can no longer decline it.
    const decline = await failure(graphqlUrl(west), CANCEL, { id: proposed.id }, payee.token);
    expect(decline.code).toBe("CONFLICT");

    await startTrunk();
    // Nobody confirms again: west's job finishes it.
    await until(async () => (await ledgersOf(west, proposed.id)).state === "completed");
    for (const hub of [east, west]) {
      const ledgers = await ledgersOf(hub, proposed.id);
      expect(ledgers, hub.name).toMatchObject({ state: "completed", isBalanced: true });
      expect(ledgers.circleEntries, hub.name).toHaveLength(2);
      expect(ledgers.nodeEntries, hub.name).toHaveLength(2);
    }
    expect(await trunkRows(proposed.id)).toEqual([{ state: "completed" }]);
    const trunkEntries = await query(
      trunkDatabaseUrl,
      `SELECT side, amount_minutes FROM cc_node_entries WHERE transaction_uuid = $1 ORDER BY side`,
      [proposed.id],
    );
    expect(trunkEntries).toEqual([
      { side: "branch:east", amount_minutes: -25 },
      { side: "branch:west", amount_minutes: 25 },
    ]);
    const mine = await succeed(graphqlUrl(west), MINE, { circleId: orchard.circleId }, payee.token);
    expect(mine.myRemoteExchanges.items).toContainEqual(
      expect.objectContaining({ id: proposed.id, status: "COMPLETED" }),
    );
  });

  it("down past the new moon: a completion the payer's hub committed before it completes in its cycle everywhere; one it never received lapses everywhere", async () => {
    const [, , payer] = garden.members;
    const [payeeOfCommitted, payeeOfLost] = orchard.members;
    const cycle = cycleContaining(NOW);
    const propose = async (payee: typeof payeeOfCommitted, minutes: number) =>
      (
        await succeed(
          graphqlUrl(east),
          PROPOSE,
          { circleId: garden.circleId, payeePath: await addressOf(west, payee), minutes },
          payer.token,
        )
      ).proposeRemoteExchange as { id: string; cycle: string };
    const committed = await propose(payeeOfCommitted, 12);
    const lostOnTheWay = await propose(payeeOfLost, 7);

    // East never hears of one completion (the network drops it); it receives the other and
    // commits, and the trunk dies before committing.
    onTheWay = async (branch, method, url) => {
      if (branch !== "east" || method !== "PATCH") return true;
      if (url.includes(lostOnTheWay.id)) return false;
      if (url.includes(committed.id)) await trunk!.kill();
      return true;
    };
    expect((await failure(graphqlUrl(west), CONFIRM, { id: lostOnTheWay.id }, payeeOfLost.token)).code).toBe(
      "SERVICE_UNAVAILABLE",
    );
    expect((await failure(graphqlUrl(west), CONFIRM, { id: committed.id }, payeeOfCommitted.token)).code).toBe(
      "SERVICE_UNAVAILABLE",
    );
    // The proxy passes the completion on to east after the trunk died: east commits a moment later.
    await until(async () => (await ledgersOf(east, committed.id)).state === "completed");
    expect((await ledgersOf(east, lostOnTheWay.id)).state).toBe("pending");

    // Every hub passes the new moon before the trunk comes back.
    const afterNewMoon = new Date(cycle.endsAt.getTime() + 3_600_000);
    east.clock.set(afterNewMoon);
    west.clock.set(afterNewMoon);
    const next = `${clockFile}.next`;
    writeFileSync(next, afterNewMoon.toISOString());
    renameSync(next, clockFile);
    onTheWay = async () => true;
    const publicTradeOf = (hub: Hub) =>
      nodeTradeIn(
        { query: (sql: string, params?: unknown[]) => query(hub.databaseUrl, sql, params) } as Parameters<
          typeof nodeTradeIn
        >[0],
        cycle.label,
        cycle.endsAt,
      );
    const publishedBefore = await publicTradeOf(west);
    const westDb = { query: (sql: string, params?: unknown[]) => query(west.databaseUrl, sql, params) } as Parameters<
      typeof hasCompletionInDoubt
    >[0];
    // The payees' circle's expiry of the ended cycle waits while its confirmations are in doubt.
    expect(await hasCompletionInDoubt(westDb, orchard.circleId, cycle.label)).toBe(true);
    await startTrunk();

    await until(async () => (await ledgersOf(west, committed.id)).state === "completed");
    // On the ledgers, but not in the public figure of the ended cycle: that never changes once readable.
    expect(await publicTradeOf(west)).toEqual(publishedBefore);
    for (const hub of [east, west]) {
      const ledgers = await ledgersOf(hub, committed.id);
      expect(ledgers, hub.name).toMatchObject({ state: "completed", cycle: cycle.label, isBalanced: true });
      expect(
        ledgers.circleEntries.map((entry) => entry.cycle),
        hub.name,
      ).toEqual([cycle.label, cycle.label]);
      expect(
        ledgers.nodeEntries.map((entry) => entry.cycle),
        hub.name,
      ).toEqual([cycle.label, cycle.label]);
    }
    expect(await trunkRows(committed.id)).toEqual([{ state: "completed" }]);

    await until(async () => (await ledgersOf(west, lostOnTheWay.id)).state === "erased");
    await until(async () => (await ledgersOf(east, lostOnTheWay.id)).state === "erased");
    for (const hub of [east, west])
      expect(await ledgersOf(hub, lostOnTheWay.id), hub.name).toMatchObject({
        nodeEntries: [],
        circleEntries: [],
        isBalanced: true,
      });
    expect(await trunkRows(lostOnTheWay.id)).toEqual([{ state: "erased" }]);
    expect(await hasCompletionInDoubt(westDb, orchard.circleId, cycle.label)).toBe(false);
  });
});

/** Waits (up to 60 s) for something a job does in the background. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("The condition did not hold within 60 s.");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
