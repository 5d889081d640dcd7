import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import express from "express";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  API_KEY_CACHE_TTL_MS,
  API_KEY_NEGATIVE_CACHE_TTL_MS,
  API_KEY_VERIFY_PATH,
  hasValidApiKeyChecksum,
  newApiKey,
  remoteApiKeyVerifier,
} from "../src/auth/api-keys.js";
import { newSecret, type Caller } from "../src/auth/auth.js";
import { manualClock } from "../src/runtime/clock.js";
import { requireServiceCredential, verifyServiceToken } from "../src/auth/internal-auth.js";

const secret = "a-test-secret-that-is-long-enough-1234";
const muralCaller: Caller = { kind: "apiKey", keyId: "k1", circleId: "c1", scopes: ["public:read"] };
const clock = manualClock(new Date());

/** Shaped like an API key, with a check made up by someone who does not know the secret. */
const madeUpKey = () => `rhz_${randomBytes(24).toString("base64url")}_${randomBytes(8).toString("base64url")}`;

/** A stand-in for network's verification endpoint that counts the requests it answers. */
const network = {
  validKeys: new Map<string, Caller>(),
  requests: 0,
  callingServices: new Set<string>(),
  url: "",
  server: undefined as Server | undefined,
};

beforeAll(async () => {
  const app = express();
  app.post(
    API_KEY_VERIFY_PATH,
    requireServiceCredential(secret, "network", clock),
    express.json(),
    async (request, response) => {
      network.requests += 1;
      const token = request.headers.authorization!.split(" ")[1];
      network.callingServices.add(
        (await verifyServiceToken(secret, token, { target: "network", route: API_KEY_VERIFY_PATH }, clock))!,
      );
      response.json({ caller: network.validKeys.get(request.body.key) ?? null });
    },
  );
  network.server = await new Promise<Server>((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
  network.url = `http://127.0.0.1:${(network.server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => (network.server ? network.server.close(() => resolve()) : resolve())));
beforeEach(() => {
  network.validKeys.clear();
  network.requests = 0;
  network.callingServices.clear();
});

const barterVerifier = () =>
  remoteApiKeyVerifier({ networkUrl: network.url, tokenSecret: secret, service: "barter", clock });

describe("API key checksums", () => {
  it("accept a key the hub made and refuse a changed, foreign, legacy or oversized one", () => {
    const key = newApiKey(secret);
    expect(key).toMatch(/^rhz_[A-Za-z0-9_-]{32}_[A-Za-z0-9_-]{11}$/);
    expect(hasValidApiKeyChecksum(secret, key)).toBe(true);

    const lastChar = key.at(-1) === "A" ? "B" : "A";
    expect(hasValidApiKeyChecksum(secret, key.slice(0, -1) + lastChar)).toBe(false);
    const randomChar = key[10] === "A" ? "B" : "A";
    expect(hasValidApiKeyChecksum(secret, key.slice(0, 10) + randomChar + key.slice(11))).toBe(false);
    expect(hasValidApiKeyChecksum("another-secret-that-is-long-enough-xyz", key)).toBe(false);
    expect(hasValidApiKeyChecksum(secret, newSecret("rhz"))).toBe(false);
    expect(hasValidApiKeyChecksum(secret, key + "x".repeat(10_000))).toBe(false);
    expect(hasValidApiKeyChecksum(secret, "")).toBe(false);
  });
});

describe("remoteApiKeyVerifier", () => {
  it("turns away made-up keys without asking network", async () => {
    const verify = barterVerifier();
    for (let i = 0; i < 1_000; i += 1) expect(await verify(madeUpKey())).toBeUndefined();
    expect(await verify("rhz_made-up-key")).toBeUndefined();
    expect(network.requests).toBe(0);
  });

  it("asks network with a service token and keeps a valid key cached through a flood of 20,000 bogus keys", async () => {
    const key = newApiKey(secret);
    network.validKeys.set(key, muralCaller);
    const verify = barterVerifier();
    expect(await verify(key)).toEqual(muralCaller);
    expect(network.callingServices).toEqual(new Set(["barter"]));

    for (let i = 0; i < 20_000; i += 1) await verify(madeUpKey());
    expect(await verify(key)).toEqual(muralCaller);
    expect(network.requests).toBe(1);
  });

  it("keeps a key in use cached while 20,000 unknown keys with good checksums pass through", async () => {
    // Only network can make such keys, so this is a test of the LRU, not a likely attack.
    let fetches = 0;
    const key = newApiKey(secret);
    const verify = remoteApiKeyVerifier({
      networkUrl: "http://network.invalid/",
      tokenSecret: secret,
      service: "gateway",
      clock,
      fetch: async (_url, init) => {
        fetches += 1;
        const asked = JSON.parse(String(init?.body)).key as string;
        return Response.json({ caller: asked === key ? muralCaller : null });
      },
    });
    expect(await verify(key)).toEqual(muralCaller);
    for (let i = 0; i < 20_000; i += 1) {
      expect(await verify(newApiKey(secret))).toBeUndefined();
      if (i % 1_000 === 0) expect(await verify(key)).toEqual(muralCaller);
    }
    expect(fetches).toBe(20_001);
  });

  it("asks network once for many concurrent lookups of one key", async () => {
    const key = newApiKey(secret);
    network.validKeys.set(key, muralCaller);
    const verify = barterVerifier();
    const callers = await Promise.all(Array.from({ length: 50 }, () => verify(key)));
    expect(callers).toEqual(Array.from({ length: 50 }, () => muralCaller));
    expect(network.requests).toBe(1);
  });

  it("stops accepting a revoked key within the cache's TTL, and remembers the refusal briefly", async () => {
    const key = newApiKey(secret);
    network.validKeys.set(key, muralCaller);
    const verify = barterVerifier();
    expect(await verify(key)).toEqual(muralCaller);

    network.validKeys.delete(key); // revoked in network
    clock.advance(API_KEY_CACHE_TTL_MS - 1);
    expect(await verify(key)).toEqual(muralCaller);
    expect(network.requests).toBe(1);
    clock.advance(1);
    expect(await verify(key)).toBeUndefined();
    expect(network.requests).toBe(2);

    clock.advance(API_KEY_NEGATIVE_CACHE_TTL_MS - 1);
    expect(await verify(key)).toBeUndefined();
    expect(network.requests).toBe(2);
    clock.advance(1);
    expect(await verify(key)).toBeUndefined();
    expect(network.requests).toBe(3);
  });

  it("fails loudly when network refuses its service token, and caches nothing", async () => {
    const key = newApiKey(secret);
    network.validKeys.set(key, muralCaller);
    // Its service tokens are signed by a clock an hour behind, so network finds them expired.
    const wrongClock = manualClock(new Date(clock().getTime() - 60 * 60 * 1000));
    const verify = remoteApiKeyVerifier({
      networkUrl: network.url,
      tokenSecret: secret,
      service: "barter",
      clock: wrongClock,
    });
    await expect(verify(key)).rejects.toThrow(/HTTP 401/);
    await expect(verify(key)).rejects.toThrow(/HTTP 401/);
    expect(network.requests).toBe(0);
  });
});
