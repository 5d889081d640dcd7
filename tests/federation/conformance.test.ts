import { createServer, type IncomingMessage, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining } from "@rhizome/kit";
import {
  ccAccountHistorySchema,
  ccAccountSummarySchema,
  ccErrorSchema,
  ccRelayResponseSchema,
  ccTransactionSchema,
  ccWelcomeSchema,
} from "../../services/barter/src/credit-commons/messages.js";
import {
  addressOf,
  CONFIRM,
  freePorts,
  graphqlUrl,
  joinedCircle,
  KEY_EAST,
  ledgersOf,
  PROPOSE,
  query,
  startNode,
  succeed,
  trunkEnv,
  type BranchCircle,
  type Hub,
  type Ports,
} from "./tree.js";

/**
 * The protocol's routes and messages, checked against the shapes written from the Credit Commons
 * OpenAPI description (services/barter/src/credit-commons/messages.ts): the test plays the node
 * "east" itself, with a small HTTP server of its own that checks every request the trunk sends it,
 * and checks every answer the trunk gives.
 */
const NOW = new Date(cycleContaining(new Date("2042-02-01T00:00:00.000Z")).startsAt.getTime() + 5 * 86_400_000);

let ports: Ports;
let trunk: Hub;
let west: Hub;
let orchard: BranchCircle;
let fakeEast: Server;
const received: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: unknown }> = [];

const asEast = (extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "cc-node": "east",
  "cc-auth": KEY_EAST,
  "cc-node-trace": ">east",
  ...extra,
});

async function toTrunk(
  route: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(new URL(route, trunk.ccUrl), {
    method: init.method ?? "GET",
    headers: init.headers ?? asEast(),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    trace: response.headers.get("cc-node-trace"),
    body: text ? JSON.parse(text) : undefined,
  };
}

const transactionTo = (payee: string, quant: number, uuid = randomUUID()) => ({
  uuid,
  state: "pending",
  workflow: "_P+",
  entries: [{ payer: "trunk/east/fields/abcdefghij", payee, quant, description: "", metadata: {} }],
});

beforeAll(async () => {
  ports = await freePorts();
  fakeEast = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      received.push({
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        body: raw ? JSON.parse(raw) : undefined,
      });
      response.writeHead(201, {
        "content-type": "application/json",
        "cc-node-trace": `${request.headers["cc-node-trace"]}, <east`,
      });
      response.end(
        request.method === "POST"
          ? JSON.stringify({ data: (JSON.parse(raw) as { entries: unknown[] }).entries, meta: { secs_valid_left: 60 } })
          : "",
      );
    });
  });
  await new Promise<void>((resolve) => fakeEast.listen(ports.east, "127.0.0.1", resolve));
  [trunk, west] = await Promise.all([
    startNode("trunk", ports.trunk, trunkEnv(ports), NOW),
    startNode(
      "west",
      ports.west,
      {
        CC_NODE_PATH: "trunk/west",
        CC_TRUNKWARD_URL: `http://127.0.0.1:${ports.trunk}/cc/`,
        CC_TRUNKWARD_KEY: JSON.parse(trunkEnv(ports).CC_BRANCHES)[1].key,
      },
      NOW,
    ),
  ]);
  orchard = await joinedCircle(west, "orchard", 2);
}, 180_000);

afterAll(async () => {
  await Promise.all([trunk, west].filter(Boolean).map((hub) => hub.stop()));
  await new Promise((resolve) => fakeEast?.close(resolve));
});

describe("the Credit Commons routes of a node", () => {
  it("welcome: GET / answers the welcome message to a known neighbour and refuses anyone else", async () => {
    const welcome = await toTrunk("");
    expect(welcome.status).toBe(200);
    expect(ccWelcomeSchema.parse(welcome.body).message).toContain("trunk");
    expect(welcome.trace).toBe(">east, <trunk");
    for (const headers of [
      asEast({ "cc-auth": "wrong-key-wrong-key-wrong-key" }),
      asEast({ "cc-node": "south" }),
      {},
    ]) {
      const refused = await toTrunk("", { headers });
      expect(refused.status).toBe(401);
      ccErrorSchema.parse(refused.body);
    }
  });

  it("relay: POST transaction/relay records and relays a transaction once, however often it is retried", async () => {
    const payeePath = await addressOf(west, orchard.members[0]);
    const message = transactionTo(payeePath, 30);
    ccTransactionSchema.parse(message);
    const first = await toTrunk("transaction/relay", { method: "POST", body: message });
    expect(first.status).toBe(201);
    expect(ccRelayResponseSchema.parse(first.body).data).toEqual([
      expect.objectContaining({ payee: payeePath, quant: 30 }),
    ]);
    expect(first.trace).toBe(">east, >trunk, <west, <trunk");

    // The same relay again (a timeout on the way, say), and twice at once with a new uuid: applied once each.
    const again = await toTrunk("transaction/relay", { method: "POST", body: message });
    expect(again.status).toBe(201);
    expect(again.body.data).toEqual(first.body.data);
    const racing = transactionTo(payeePath, 31);
    const both = await Promise.all([1, 2].map(() => toTrunk("transaction/relay", { method: "POST", body: racing })));
    expect(both.map((answer) => answer.status)).toEqual([201, 201]);
    for (const uuid of [message.uuid, racing.uuid])
      for (const hub of [trunk, west])
        expect(await query(hub.databaseUrl, `SELECT state FROM cc_transactions WHERE uuid = $1`, [uuid])).toEqual([
          { state: "pending" },
        ]);

    // A different transaction under a uuid already used is refused.
    const reused = await toTrunk("transaction/relay", {
      method: "POST",
      body: transactionTo(payeePath, 99, message.uuid),
    });
    expect(reused.status).toBe(409);
    ccErrorSchema.parse(reused.body);
  });

  it("relay: refuses malformed messages and payers on the wrong side, with the protocol's error shape", async () => {
    const payeePath = await addressOf(west, orchard.members[0]);
    const cases: Array<[unknown, number]> = [
      [{ uuid: "nope", entries: [] }, 400],
      [
        {
          ...transactionTo(payeePath, 10),
          entries: [{ ...transactionTo(payeePath, 10).entries[0], payer: "trunk/west/orchard/abcdefghij" }],
        },
        400,
      ],
      [transactionTo(payeePath, 100_000), 400],
      [transactionTo("trunk/west/nowhere/abcdefghij", 10), 404],
    ];
    for (const [body, status] of cases) {
      const answer = await toTrunk("transaction/relay", { method: "POST", body });
      expect(answer.status, JSON.stringify(body)).toBe(status);
      ccErrorSchema.parse(answer.body);
    }
  });

  it("change state: PATCH transaction/{uuid}/{state} completes from the payee's side only, erases from either, and names unknown uuids", async () => {
    const payee = orchard.members[1];
    const payeePath = await addressOf(west, payee);
    const toComplete = transactionTo(payeePath, 12);
    const toErase = transactionTo(payeePath, 13);
    for (const message of [toComplete, toErase])
      expect((await toTrunk("transaction/relay", { method: "POST", body: message })).status).toBe(201);

    const fromPayerSide = await toTrunk(`transaction/${toComplete.uuid}/completed`, { method: "PATCH" });
    expect(fromPayerSide.status).toBe(403);
    ccErrorSchema.parse(fromPayerSide.body);
    const unknown = await toTrunk(`transaction/${randomUUID()}/completed`, { method: "PATCH" });
    expect(unknown.status).toBe(404);
    ccErrorSchema.parse(unknown.body);
    const badState = await toTrunk(`transaction/${toComplete.uuid}/sideways`, { method: "PATCH" });
    expect(badState.status).toBe(400);

    // The payee confirms on west: west asks the trunk, which asks "east" (this test) as the protocol says.
    received.length = 0;
    await succeed(graphqlUrl(west), CONFIRM, { id: toComplete.uuid }, payee.token);
    expect(received).toEqual([
      expect.objectContaining({
        method: "PATCH",
        url: `/cc/transaction/${toComplete.uuid}/completed`,
        body: undefined,
      }),
    ]);
    expect(received[0].headers).toMatchObject({
      "cc-node": "trunk",
      "cc-auth": KEY_EAST,
      "cc-node-trace": ">west, >trunk",
    });
    for (const hub of [trunk, west]) expect((await ledgersOf(hub, toComplete.uuid)).state).toBe("completed");

    const erased = await toTrunk(`transaction/${toErase.uuid}/erased`, { method: "PATCH" });
    expect(erased.status).toBe(201);
    expect(erased.trace).toBe(">east, <trunk");
    for (const hub of [trunk, west]) expect((await ledgersOf(hub, toErase.uuid)).state).toBe("erased");
  });

  it("relay onward: a node's relay to its neighbour carries the protocol's message and headers", async () => {
    received.length = 0;
    const payer = orchard.members[0];
    await succeed(
      graphqlUrl(west),
      PROPOSE,
      { circleId: orchard.circleId, payeePath: "trunk/east/fields/abcdefghij", minutes: 7 },
      payer.token,
    );
    expect(received).toHaveLength(1);
    const relayed = received[0];
    expect(relayed).toMatchObject({ method: "POST", url: "/cc/transaction/relay" });
    expect(relayed.headers).toMatchObject({
      "cc-node": "trunk",
      "cc-auth": KEY_EAST,
      "cc-node-trace": ">west, >trunk",
    });
    const message = ccTransactionSchema.parse(relayed.body);
    expect(message.entries).toEqual([
      {
        payer: expect.stringMatching(/^trunk\/west\/orchard\/[a-z2-7]{10}$/),
        payee: "trunk/east/fields/abcdefghij",
        quant: 7,
        description: "",
        metadata: {},
      },
    ]);
  });

  it("account: GET account and account/history tell a neighbour its own balance of trade, and nothing about members", async () => {
    const summary = await toTrunk("account?acc_path=trunk/east");
    expect(summary.status).toBe(200);
    expect(ccAccountSummarySchema.parse(summary.body)).toMatchObject({ trades: 1, gross_out: 12, balance: -12 });
    const history = await toTrunk("account/history?acc_path=trunk/east");
    expect(history.status).toBe(200);
    expect(Object.values(ccAccountHistorySchema.parse(history.body).data)).toEqual([-12]);
    for (const path of ["trunk/west", "trunk/west/orchard/abcdefghij", ""]) {
      const refused = await toTrunk(`account?acc_path=${path}`);
      expect(refused.status, path).toBe(403);
      ccErrorSchema.parse(refused.body);
    }
  });
});
