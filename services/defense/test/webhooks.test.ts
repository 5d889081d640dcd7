import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@rhizome/kit/testing";
import { DELIVERY_HEADER, MAX_WEBHOOK_ATTEMPTS, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../src/domain/alerts.js";
import { isValidWebhookSignature } from "../src/domain/signature.js";
import { api, branch, newCircle, ops, responder, startDefense, type DefenseTestService } from "./support/defense.js";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let service: DefenseTestService;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status codes the receiver answers with, per path, in order; then 200. */
const scripted = new Map<string, number[]>();

beforeAll(async () => {
  // The fake gateway listens on this machine, which only this setting lets a webhook reach.
  ({ service } = await startDefense({ env: { DEFENSE_WEBHOOK_ALLOW_LOOPBACK: "true" } }));
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body });
      const statuses = scripted.get(request.url ?? "") ?? [];
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await service?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function circleWithWebhook(path: string) {
  const circle = await newCircle();
  const { secret } = (
    await api(service).ok(
      ops.webhook,
      { input: { circleId: circle.id, url: `${receiverUrl}${path}` } },
      circle.organizer,
    )
  ).setDefenseWebhook;
  const root = await branch(service, circle, "street");
  const sms = await responder(service, circle, root, { contact: "+44 7700 900123" });
  await api(service).ok(
    `mutation ($c: ID!, $url: String) { shareContactWithWebhook(circleId: $c, url: $url) { id } }`,
    { c: circle.id, url: `${receiverUrl}${path}` },
    sms,
  );
  const raiser = await circle.member();
  return { circle, secret: secret as string, sms, raiser };
}

describe("webhooks", () => {
  it("POSTs each call signed with HMAC-SHA256 over timestamp and body, with the responder's own contact and not the alert's text, and retries with backoff until the gateway takes it", async () => {
    scripted.set("/flaky", [500, 502]);
    const { circle, secret, raiser } = await circleWithWebhook("/flaky");
    const alert = (
      await api(service).ok(
        ops.raise,
        {
          input: {
            circleId: circle.id,
            kind: "EVICTION",
            place: "u4pruy",
            urgency: "HIGH",
            text: "Locks being changed",
          },
        },
        raiser,
      )
    ).raiseAlert;

    const attempts = await eventually(async () => {
      const mine = received.filter((r) => r.path === "/flaky");
      return mine.length >= 3 ? mine : undefined;
    }, "three attempts");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.filter((r) => r.path === "/flaky")).toHaveLength(3);
    for (const attempt of attempts) {
      const timestamp = Number(attempt.headers[TIMESTAMP_HEADER]);
      expect(isValidWebhookSignature(secret, timestamp, attempt.body, String(attempt.headers[SIGNATURE_HEADER]))).toBe(
        true,
      );
      expect(
        isValidWebhookSignature("whsec_wrong", timestamp, attempt.body, String(attempt.headers[SIGNATURE_HEADER])),
      ).toBe(false);
      expect(attempt.headers[DELIVERY_HEADER]).toBe(attempts[0].headers[DELIVERY_HEADER]);
    }
    expect(JSON.parse(attempts[2].body)).toMatchObject({
      kind: "CALL",
      circleId: circle.id,
      recipient: { channel: "SMS", address: "+44 7700 900123" },
      alert: { id: alert.id, kind: "EVICTION", urgency: "HIGH", place: "u4pruy" },
    });
    expect(attempts[2].body).not.toContain("Locks being changed");
    const [delivery] = await service.runtime.db.query(
      `SELECT attempts, delivered_at, failed_at FROM webhook_deliveries WHERE id = $1`,
      [attempts[0].headers[DELIVERY_HEADER]],
    );
    expect(delivery).toMatchObject({ attempts: 3, failed_at: null });
    expect(delivery.delivered_at).not.toBeNull();
  });

  it("keeps a dead letter once every attempt failed, and stops trying", async () => {
    scripted.set("/down", Array(50).fill(503));
    const { circle, raiser } = await circleWithWebhook("/down");
    await api(service).ok(
      ops.raise,
      {
        input: {
          circleId: circle.id,
          kind: "RAID",
          place: "u4pruy",
          urgency: "CRITICAL",
          text: "Checkpoint at the bridge",
        },
      },
      raiser,
    );

    const [dead] = await eventually(async () => {
      const rows = await service.runtime.db.query(
        `SELECT attempts, last_error FROM webhook_dead_letters WHERE circle_id = $1`,
        [circle.id],
      );
      return rows.length > 0 ? rows : undefined;
    }, "a dead letter");
    expect(dead).toEqual({ attempts: MAX_WEBHOOK_ATTEMPTS, last_error: "HTTP 503" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.filter((r) => r.path === "/down")).toHaveLength(MAX_WEBHOOK_ATTEMPTS);
  });
});
