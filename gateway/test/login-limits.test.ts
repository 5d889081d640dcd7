import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort, startRedisServer } from "@rhizome/infra";
import { createLogger, loadConfig } from "@rhizome/kit";
import {
  bearer,
  foundCircle,
  graphql,
  PASSPHRASE,
  startTestService,
  subgraphUrl,
  succeed,
  type TestService,
} from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";
import { networkService } from "../../services/network/src/service.js";
import { WRONG_LOGIN_MESSAGE } from "../../services/network/src/domain/login-attempts.js";

const gatewayUrl = inject("gatewayUrl");
const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token refreshToken } }`;
const login = (url: string, circleSlug: string, handle: string, passphrase: string) =>
  graphql(url, LOGIN, { input: { circleSlug, handle, passphrase } });

describe("logging in under a race", () => {
  it("checks exactly 5 of 16 wrong passphrases sent at once for one handle, and refuses the rest and the right one", async () => {
    const circle = await foundCircle(gatewayUrl, "race");
    const network = subgraphUrl("network");
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => login(network, circle.slug, "founder", `wrong passphrase number ${i}`)),
    );
    const messages = answers.map((answer) => answer.body.errors?.[0].message);
    expect(answers.every((answer) => answer.body.errors?.[0].extensions?.code === "UNAUTHENTICATED")).toBe(true);
    expect(messages.filter((message) => message === WRONG_LOGIN_MESSAGE)).toHaveLength(5);
    expect(messages.filter((message) => message?.startsWith("Too many failed logins"))).toHaveLength(11);

    const right = await login(network, circle.slug, "founder", PASSPHRASE);
    expect(right.body.errors?.[0].message).toMatch(/Too many failed logins/);
  });
});

describe("logout", () => {
  it("ends the refresh token and that session's access tokens at once, in network and in every other service", async () => {
    const circle = await foundCircle(gatewayUrl, "logout");
    const session = (
      await succeed(gatewayUrl, LOGIN, {
        input: { circleSlug: circle.slug, handle: "founder", passphrase: PASSPHRASE },
      })
    ).login;
    const other = (
      await succeed(gatewayUrl, LOGIN, {
        input: { circleSlug: circle.slug, handle: "founder", passphrase: PASSPHRASE },
      })
    ).login;
    const barterQuery = `query Mine($circleId: ID!) { exchanges(circleId: $circleId, first: 1) { items { id } } }`;
    expect(
      (await graphql(gatewayUrl, barterQuery, { circleId: circle.id }, session.token)).body.errors,
    ).toBeUndefined();

    const loggedOut = await succeed(gatewayUrl, `mutation ($t: String!) { logout(refreshToken: $t) }`, {
      t: session.refreshToken,
    });
    expect(loggedOut.logout).toBe(true);

    const refresh = await graphql(
      gatewayUrl,
      `
        mutation ($t: String!) {
          refreshSession(refreshToken: $t) {
            token
          }
        }
      `,
      { t: session.refreshToken },
    );
    expect(refresh.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    for (const url of [gatewayUrl, subgraphUrl("network")]) {
      const me = await graphql(
        url,
        `
          {
            me {
              personId
            }
          }
        `,
        {},
        session.token,
      );
      expect(me.body.data?.me ?? null, url).toBeNull();
      expect(me.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/session has ended/),
        extensions: { code: "UNAUTHENTICATED" },
      });
    }
    const barter = await graphql(subgraphUrl("barter"), barterQuery, { circleId: circle.id }, bearer(session.token));
    expect(barter.status).toBe(401);
    expect(barter.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

    // The person's other session goes on.
    expect(
      (
        await graphql(
          gatewayUrl,
          `
            {
              me {
                personId
              }
            }
          `,
          {},
          other.token,
        )
      ).body.data?.me.personId,
    ).toBeTruthy();
  });
});

describe("the gateway's rate limits", () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    const subgraphUrls = Object.fromEntries(
      Object.entries(inject("serviceUrls")).map(([name, url]) => [
        `${name.toUpperCase()}_SUBGRAPH_URL`,
        `${url}/graphql`,
      ]),
    );
    const config = loadConfig(gatewayConfigSchema, {
      PORT: "0",
      TOKEN_SECRET: inject("tokenSecret"),
      LOG_LEVEL: "silent",
      RATE_LIMIT_REQUESTS_PER_MINUTE: "8",
      RATE_LIMIT_LOGINS_PER_MINUTE: "3",
    });
    gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
  }, 60_000);
  afterAll(() => gateway?.close());

  it("answers 429 with Retry-After once a client spends its logins, then once it spends its requests", async () => {
    const circle = await foundCircle(gatewayUrl, "ratelimit");
    for (let i = 0; i < 3; i++)
      expect((await login(gateway.url, circle.slug, `handle${i}`, "not the passphrase")).status).toBe(200);
    const fourth = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({
        query: LOGIN,
        variables: { input: { circleSlug: circle.slug, handle: "founder", passphrase: PASSPHRASE } },
      }),
    });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await fourth.json()).errors[0]).toMatchObject({
      message: expect.stringMatching(/Too many login attempts/),
      extensions: { code: "RATE_LIMITED" },
    });

    // Other requests go on until the client's requests are spent too (8 a minute, 4 used).
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await graphql(
            gateway.url,
            `
              {
                circles(first: 1) {
                  items {
                    slug
                  }
                }
              }
            `,
          )
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it("counts every API key a person mints, and their own token, against that person's one budget", async () => {
    const circle = await foundCircle(gatewayUrl, "key-budget");
    const other = await foundCircle(gatewayUrl, "key-budget-other");
    const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`;
    const mint = async (owner: { id: string; organizer: { token: string } }) =>
      (await succeed(gatewayUrl, CREATE_KEY, { input: { circleId: owner.id, name: "app" } }, owner.organizer.token))
        .createApiKey.key as string;
    const ask = async (headers: Record<string, string>) =>
      (
        await graphql(
          gateway.url,
          `
            {
              circles(first: 1) {
                items {
                  slug
                }
              }
            }
          `,
          {},
          headers,
        )
      ).status;

    const keys = [await mint(circle), await mint(circle), await mint(circle)];
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await ask({ "x-api-key": keys[i % keys.length] }));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    // The person's 8 a minute are spent: a key minted now, any earlier key and their own token wait alike.
    expect(await ask({ "x-api-key": await mint(circle) })).toBe(429);
    expect(await ask({ "x-api-key": keys[0] })).toBe(429);
    expect(await ask(bearer(circle.organizer.token))).toBe(429);
    // Another person's key has a budget of its own.
    expect(await ask({ "x-api-key": await mint(other) })).toBe(200);
  });
});

describe("logging in while Redis is down", () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let network: TestService<never>;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "rhizome-redis-down-"));
    redis = await startRedisServer({ dir: dataDir, port: await findFreePort() });
    // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
    network = (await startTestService(networkService, {
      ownDatabase: true,
      env: { REDIS_URL: redis.url, ROLE: "api" },
    })) as unknown as TestService<never>;
  }, 60_000);
  afterAll(async () => {
    await network?.stop();
    await redis?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("fails fast with a clear, retryable error instead of hanging", async () => {
    const circle = await foundCircle(network.url, "redisdown");
    await redis.stop();
    const startedMs = performance.now();
    const answer = await login(network.url, circle.slug, "founder", PASSPHRASE);
    expect(performance.now() - startedMs).toBeLessThan(2_000);
    expect(answer.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Logging in is unavailable for a moment/),
      extensions: { code: "SERVICE_UNAVAILABLE" },
    });
  });
});
