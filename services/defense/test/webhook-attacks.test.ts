import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, graphql } from "@rhizome/kit/testing";
import { MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE } from "../src/domain/alerts.js";
import { sealText } from "../src/domain/sealing.js";
import { sweepOnce } from "../src/jobs/sweep.js";
import { vaultOf } from "../src/store/vault.js";
import {
  api,
  branch,
  newCircle,
  ops,
  responder,
  startDefense,
  startWorkerProcess,
  type DefenseTestService,
} from "./support/defense.js";

/*
 * An organizer who points the circle's webhook at their own server to collect responders' contacts,
 * or at the hub's own network; one circle that floods alerts or answers slowly; and someone with
 * write access to the tables who swaps sealed values between rows.
 */

const SHARE = `mutation ($c: ID!, $url: String) { shareContactWithWebhook(circleId: $c, url: $url) { id contactSharedWith } }`;
const LEAVE = `mutation ($c: ID!) { leaveResponders(circleId: $c) }`;
const MY_RESPONDER = `query ($c: ID!) { myResponder(circleId: $c) { id contact } }`;

interface Received {
  path: string;
  body: string;
  at: number;
}

let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
/** Per path: status codes to answer with in order (then 200), "hang" to never answer, or "hold" to answer when the test says. */
const scripted = new Map<string, Array<number | "hang" | "hold">>();
const hanging: http.ServerResponse[] = [];
const held: http.ServerResponse[] = [];
/** Per path: requests received and not yet answered or abandoned, now and at most. */
const openNow = new Map<string, number>();
const openPeak = new Map<string, number>();

/** Defense that may deliver to the loopback receiver (a documented test setting), and one that keeps the default. */
let loopbackAllowed: DefenseTestService;
let byDefault: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({ path, body, at: performance.now() });
      openNow.set(path, (openNow.get(path) ?? 0) + 1);
      openPeak.set(path, Math.max(openPeak.get(path) ?? 0, openNow.get(path)!));
      response.on("close", () => openNow.set(path, openNow.get(path)! - 1));
      const next = scripted.get(request.url ?? "")?.shift();
      if (next === "hang") hanging.push(response);
      else if (next === "hold") held.push(response);
      else if (next === 302) response.writeHead(302, { location: `${receiverUrl}/redirected` }).end();
      else response.writeHead(next ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  ({ service: loopbackAllowed, clock } = await startDefense({
    env: { DEFENSE_WEBHOOK_ALLOW_LOOPBACK: "true", DEFENSE_WEBHOOK_TIMEOUT_MS: "3000" },
  }));
  ({ service: byDefault } = await startDefense({ clock }));
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await loopbackAllowed?.stop();
  await byDefault?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const bodiesFor = (path: string) => received.filter((r) => r.path === path).map((r) => r.body);

async function circleWithWebhook(service: DefenseTestService, url: string) {
  const circle = await newCircle();
  await api(service).ok(ops.webhook, { input: { circleId: circle.id, url } }, circle.organizer);
  const root = await branch(service, circle, "street");
  return { circle, root };
}

describe("an organizer harvesting contacts through the webhook", () => {
  it("receives no responder's contact and no alert text unless that responder agreed to this very URL", async () => {
    const call = api(loopbackAllowed);
    const url = `${receiverUrl}/harvest`;
    const { circle, root } = await circleWithWebhook(loopbackAllowed, url);
    // Both head a branch, so both are called at once.
    const quiet = await responder(loopbackAllowed, circle, root, { contact: "+44 7700 900111" });
    const willing = await responder(loopbackAllowed, circle, await branch(loopbackAllowed, circle, "market"), {
      contact: "+44 7700 900222",
    });
    expect((await call.ok(SHARE, { c: circle.id, url }, willing)).shareContactWithWebhook.contactSharedWith).toBe(url);
    expect((await call.fails(SHARE, { c: circle.id, url: `${receiverUrl}/elsewhere` }, quiet)).code).toBe(
      "BAD_USER_INPUT",
    );

    const raiser = await circle.member();
    await call.ok(
      ops.raise,
      {
        input: {
          circleId: circle.id,
          kind: "RAID",
          place: "u4pruy",
          urgency: "CRITICAL",
          text: "They are asking for papers at the bakery",
        },
      },
      raiser,
    );
    const [body] = await eventually(
      async () => (bodiesFor("/harvest").length > 0 ? bodiesFor("/harvest") : undefined),
      "the willing responder's call",
    );
    expect(JSON.parse(body).recipient).toEqual({ channel: "SMS", address: "+44 7700 900222" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const everything = bodiesFor("/harvest").join("\n");
    expect(everything).not.toContain("900111");
    expect(everything).not.toContain("bakery");

    // The organizer moves the webhook: the agreement was for the old URL, so nothing more is sent.
    await call.ok(ops.webhook, { input: { circleId: circle.id, url: `${receiverUrl}/harvest-2` } }, circle.organizer);
    await call.ok(
      ops.raise,
      { input: { circleId: circle.id, kind: "RAID", place: "u4pruy", urgency: "CRITICAL", text: "Second raid" } },
      await circle.member(),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bodiesFor("/harvest-2")).toEqual([]);
  });

  it("sends nothing more for a responder who left, even a delivery queued before they left", async () => {
    const call = api(loopbackAllowed);
    const url = `${receiverUrl}/left`;
    scripted.set("/left", ["hold"]);
    const { circle, root } = await circleWithWebhook(loopbackAllowed, url);
    const leaving = await responder(loopbackAllowed, circle, root, { contact: "+44 7700 900333" });
    await graphql(loopbackAllowed.url, SHARE, { c: circle.id, url }, leaving.token);
    await call.ok(
      ops.raise,
      { input: { circleId: circle.id, kind: "EVICTION", place: "u4pruy", urgency: "HIGH", text: "Bailiffs" } },
      await circle.member(),
    );
    await eventually(async () => (bodiesFor("/left").length === 1 ? true : undefined), "the first attempt");
    // The responder leaves while the first attempt is in flight; then it fails, and would be retried.
    await call.ok(LEAVE, { c: circle.id }, leaving);
    held.shift()!.writeHead(503).end();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(bodiesFor("/left")).toHaveLength(1);
  });
});

describe("a webhook aimed at the hub's own network", () => {
  const refused = [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://100.64.0.1/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/hook",
    "http://0.0.0.0/hook",
    "http://[::]/hook",
    "http://224.0.0.1/hook",
    "http://2130706433/hook",
  ];

  it("is refused when saved: loopback, link-local, private, CGNAT, unique-local, unspecified, multicast and IPv4-mapped addresses", async () => {
    const circle = await newCircle();
    for (const url of refused) {
      const problem = await api(byDefault).fails(
        ops.webhook,
        { input: { circleId: circle.id, url } },
        circle.organizer,
      );
      expect({ url, ...problem }).toMatchObject({
        url,
        code: "BAD_USER_INPUT",
        message: expect.stringContaining("public"),
      });
    }
    expect(await byDefault.runtime.db.query(`SELECT 1 FROM webhooks WHERE circle_id = $1`, [circle.id])).toEqual([]);
    // Loopback only when the setting says so, and then nothing else private.
    const other = await newCircle();
    await api(loopbackAllowed).ok(
      ops.webhook,
      { input: { circleId: other.id, url: `${receiverUrl}/ok` } },
      other.organizer,
    );
    expect(
      (
        await api(loopbackAllowed).fails(
          ops.webhook,
          { input: { circleId: other.id, url: "http://169.254.169.254/" } },
          other.organizer,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
  });

  it("is refused again at delivery on the address the name resolves to then, and a redirect is not followed", async () => {
    const call = api(byDefault);
    const publicUrl = "https://93.184.215.14/hook";
    const { circle, root } = await circleWithWebhook(byDefault, publicUrl);
    const sms = await responder(byDefault, circle, root, { contact: "+44 7700 900444" });
    await graphql(byDefault.url, SHARE, { c: circle.id, url: publicUrl }, sms.token);
    // What a name that resolved to a public address at saving and to loopback later amounts to.
    await byDefault.runtime.db.query(`UPDATE webhooks SET url = $2 WHERE circle_id = $1`, [
      circle.id,
      `${receiverUrl}/rebound`,
    ]);
    await byDefault.runtime.db
      .query(`UPDATE responders SET contact_shared_with = $2 WHERE circle_id = $1`, [
        circle.id,
        `${receiverUrl}/rebound`,
      ])
      .catch(() => undefined);
    await call.ok(
      ops.raise,
      { input: { circleId: circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "x" } },
      await circle.member(),
    );
    const [dead] = await eventually(async () => {
      const rows = await byDefault.runtime.db.query(
        `SELECT d.attempts, d.last_error FROM webhook_deliveries d WHERE d.circle_id = $1 AND d.failed_at IS NOT NULL`,
        [circle.id],
      );
      return rows.length > 0 ? rows : undefined;
    }, "the delivery to be refused");
    expect(dead).toEqual({ attempts: 1, last_error: expect.stringContaining("not a public address") });
    expect(bodiesFor("/rebound")).toEqual([]);

    // With loopback allowed, a redirect answer is a failed attempt, and its target is never asked.
    scripted.set("/moved", [302]);
    const moved = await circleWithWebhook(loopbackAllowed, `${receiverUrl}/moved`);
    const mover = await responder(loopbackAllowed, moved.circle, moved.root, { contact: "+44 7700 900555" });
    await graphql(loopbackAllowed.url, SHARE, { c: moved.circle.id, url: `${receiverUrl}/moved` }, mover.token);
    await api(loopbackAllowed).ok(
      ops.raise,
      { input: { circleId: moved.circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "x" } },
      await moved.circle.member(),
    );
    await eventually(async () => (bodiesFor("/moved").length >= 2 ? true : undefined), "the retry after the redirect");
    expect(bodiesFor("/redirected")).toEqual([]);
  });
});

describe("one circle flooding alerts or answering slowly", () => {
  it("caps how many alerts one member raises, with an error that states the limit", async () => {
    const call = api(byDefault);
    const circle = await newCircle();
    const flooder = await circle.member();
    const raise = () =>
      graphql(
        byDefault.url,
        ops.raise,
        { input: { circleId: circle.id, kind: "OTHER", place: "u4pr", urgency: "LOW", text: "again" } },
        flooder.token,
      );
    const results = [];
    for (let i = 0; i < 12; i += 1) results.push(await raise());
    const refusedOnes = results.filter((r) => r.body.errors);
    expect(refusedOnes.length).toBeGreaterThan(0);
    expect(refusedOnes[0].body.errors![0]).toMatchObject({
      extensions: { code: "RATE_LIMITED" },
      message: expect.stringMatching(/at most \d+ alerts/),
    });
    // Another member of the same circle is not held back by the flooder.
    expect(
      (
        await call.ok(
          ops.raise,
          { input: { circleId: circle.id, kind: "OTHER", place: "u4pr", urgency: "LOW", text: "mine" } },
          await circle.member(),
        )
      ).raiseAlert.raisedByMe,
    ).toBe(true);
    // The limit is per window of the hub's clock: later, the flooder may raise again.
    clock.advance(2 * 60 * 60_000);
    expect((await raise()).body.errors).toBeUndefined();
  });

  it("delivers another circle's call at once while one circle's endpoint hangs on a flood of deliveries", async () => {
    const call = api(loopbackAllowed);
    const slowUrl = `${receiverUrl}/slow`;
    scripted.set("/slow", Array(200).fill("hang"));
    const slow = await circleWithWebhook(loopbackAllowed, slowUrl);
    const slowResponders = await Promise.all(
      Array.from({ length: 4 }, () =>
        responder(loopbackAllowed, slow.circle, slow.root, { contact: "+44 7700 900666" }),
      ),
    );
    for (const who of slowResponders)
      await graphql(loopbackAllowed.url, SHARE, { c: slow.circle.id, url: slowUrl }, who.token);
    const raisers = await Promise.all(Array.from({ length: 6 }, () => slow.circle.member()));
    for (const raiser of raisers)
      await call.ok(
        ops.raise,
        { input: { circleId: slow.circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "flood" } },
        raiser,
      );
    await eventually(async () => (bodiesFor("/slow").length >= 1 ? true : undefined), "the slow endpoint to be busy");

    const fastUrl = `${receiverUrl}/fast`;
    const fast = await circleWithWebhook(loopbackAllowed, fastUrl);
    const fastResponder = await responder(loopbackAllowed, fast.circle, fast.root, { contact: "+44 7700 900777" });
    await graphql(loopbackAllowed.url, SHARE, { c: fast.circle.id, url: fastUrl }, fastResponder.token);
    const raisedAt = performance.now();
    await call.ok(
      ops.raise,
      { input: { circleId: fast.circle.id, kind: "MEDICAL", place: "u4pruy", urgency: "CRITICAL", text: "help" } },
      await fast.circle.member(),
    );
    const [arrived] = await eventually(async () => {
      const rows = received.filter((r) => r.path === "/fast");
      return rows.length > 0 ? rows : undefined;
    }, "the other circle's call");
    expect(arrived.at - raisedAt).toBeLessThan(1_500);
  });

  it("holds a circle to its cap of deliveries in flight across two worker processes, and delivers every one later", async () => {
    // A second defense worker in a process of its own, on the same database, Redis and queues, as a
    // second worker deployment (or a worker beside ROLE=all) would be.
    const second = await startWorkerProcess(loopbackAllowed, clock(), {
      DEFENSE_WEBHOOK_ALLOW_LOOPBACK: "true",
      DEFENSE_WEBHOOK_TIMEOUT_MS: "3000",
    });
    try {
      const call = api(loopbackAllowed);
      const sharedUrl = `${receiverUrl}/two-workers`;
      scripted.set("/two-workers", Array(200).fill("hold"));
      const flooding = await circleWithWebhook(loopbackAllowed, sharedUrl);
      const head = await responder(loopbackAllowed, flooding.circle, flooding.root, { contact: "+44 7700 900888" });
      await graphql(loopbackAllowed.url, SHARE, { c: flooding.circle.id, url: sharedUrl }, head.token);
      for (let i = 0; i < 8; i += 1)
        await call.ok(
          ops.raise,
          { input: { circleId: flooding.circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "flood" } },
          await flooding.circle.member(),
        );
      await eventually(
        async () => (bodiesFor("/two-workers").length >= 2 ? true : undefined),
        "the endpoint to hold two deliveries",
      );
      // Both processes' sweeps see six more deliveries due; for two seconds neither sends a third.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(openPeak.get("/two-workers")).toBe(MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE);

      // Another circle's call still goes out at once.
      const fastUrl = `${receiverUrl}/beside-two-workers`;
      const fast = await circleWithWebhook(loopbackAllowed, fastUrl);
      const fastResponder = await responder(loopbackAllowed, fast.circle, fast.root, { contact: "+44 7700 900999" });
      await graphql(loopbackAllowed.url, SHARE, { c: fast.circle.id, url: fastUrl }, fastResponder.token);
      const raisedAt = performance.now();
      await call.ok(
        ops.raise,
        { input: { circleId: fast.circle.id, kind: "MEDICAL", place: "u4pruy", urgency: "CRITICAL", text: "help" } },
        await fast.circle.member(),
      );
      const [arrived] = await eventually(async () => {
        const rows = received.filter((r) => r.path === "/beside-two-workers");
        return rows.length > 0 ? rows : undefined;
      }, "the other circle's call");
      expect(arrived.at - raisedAt).toBeLessThan(1_500);

      // Once the endpoint answers, every delivery over the cap arrives: delayed, never dropped.
      scripted.set("/two-workers", []);
      for (const response of held.splice(0)) if (!response.destroyed) response.writeHead(200).end();
      await eventually(async () => {
        const [row]: Array<{ delivered: number; total: number }> = await loopbackAllowed.runtime.db.query(
          `SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL)::int AS delivered, count(*)::int AS total
           FROM webhook_deliveries WHERE circle_id = $1`,
          [flooding.circle.id],
        );
        return row.total === 8 && row.delivered === 8 ? true : undefined;
      }, "every delivery of the flooding circle");
      expect(openPeak.get("/two-workers")).toBe(MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE);
    } finally {
      await second.stop();
    }
  }, 60_000);
});

describe("someone with write access swapping sealed values between rows", () => {
  it("cannot make one responder's sealed contact open as another's, and values sealed before rows were bound still open once re-sealed", async () => {
    const service = byDefault;
    const circle = await newCircle();
    const root = await branch(service, circle, "street");
    const victim = await responder(service, circle, root, { contact: "+44 7700 900888" });
    const attacker = await responder(service, circle, root, { contact: "+44 7700 900999" });
    const db = service.runtime.db;
    const [{ contact_sealed: attackersContact }] = await db.query(
      `SELECT contact_sealed FROM responders WHERE id = $1`,
      [attacker.responderId],
    );
    await db.query(`UPDATE responders SET contact_sealed = $2 WHERE id = $1`, [victim.responderId, attackersContact]);
    const swapped = await graphql(service.url, MY_RESPONDER, { c: circle.id }, victim.token);
    expect(JSON.stringify(swapped.body)).not.toContain("900999");

    // A contact sealed the old way (bound to circle and purpose only) opens, and the sweep re-seals it bound to its row.
    const legacy = await responder(service, circle, root, { contact: "placeholder" });
    const dataKey = await vaultOf(service.runtime.config).dataKey(db, circle.id);
    await db.query(`UPDATE responders SET contact_sealed = $2 WHERE id = $1`, [
      legacy.responderId,
      sealText(dataKey, "+44 7700 900000", `contact:${circle.id}`),
    ]);
    await db.query(`UPDATE data_keys SET resealed_at = NULL WHERE circle_id = $1`, [circle.id]).catch(() => undefined);
    expect((await api(service).ok(MY_RESPONDER, { c: circle.id }, legacy)).myResponder.contact).toBe("+44 7700 900000");
    await sweepOnce(service.runtime);
    const [{ contact_sealed: resealed }] = await db.query(`SELECT contact_sealed FROM responders WHERE id = $1`, [
      legacy.responderId,
    ]);
    expect(resealed[0]).toBe(2);
    expect((await api(service).ok(MY_RESPONDER, { c: circle.id }, legacy)).myResponder.contact).toBe("+44 7700 900000");
  });
});
