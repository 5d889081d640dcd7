import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endedSessionKey } from "@rhizome/kit";
import {
  bearer,
  dataOrThrow,
  graphql,
  hubEnvironment,
  PASSPHRASE,
  startTestService,
  uniqueSlug,
  type TestService,
} from "@rhizome/kit/testing";
import type { NetworkConfig } from "../src/config.js";
import { networkService } from "../src/service.js";

const { gatewayUrl, serviceUrls, redisUrl } = hubEnvironment();
const hubNetworkUrl = `${serviceUrls.network}/graphql`;

// A second network process on the same database: what one process ends, the other refuses at once.
let second: TestService<NetworkConfig>;
let redis: Redis;
beforeAll(async () => {
  second = await startTestService(networkService, { env: { ROLE: "api", LOG_LEVEL: "silent" } });
  redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  await second?.stop();
  redis?.disconnect();
});

const SESSION_FIELDS = "token refreshToken member { id }";

interface Session {
  token: string;
  refreshToken: string;
  member: { id: string };
}

async function foundWithSession(prefix: string): Promise<{ slug: string; founder: Session }> {
  const slug = uniqueSlug(prefix);
  const founded = dataOrThrow(
    await graphql(
      gatewayUrl,
      `mutation ($input: CreateCircleInput!) { createCircle(input: $input) { ${SESSION_FIELDS} } }`,
      { input: { name: `Circle ${slug}`, slug, founderHandle: "wren", passphrase: PASSPHRASE } },
    ),
    "createCircle",
  ).createCircle as Session;
  return { slug, founder: founded };
}

const login = async (url: string, circleSlug: string): Promise<Session> =>
  dataOrThrow(
    await graphql(url, `mutation ($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`, {
      input: { circleSlug, handle: "wren", passphrase: PASSPHRASE },
    }),
    "login",
  ).login as Session;

const me = (url: string, token: string) =>
  graphql(
    url,
    `
      {
        me {
          memberships {
            handle
          }
        }
      }
    `,
    {},
    bearer(token),
  );

const sessionOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as { sid: string }).sid;

describe("a session ended in network", () => {
  it("refuses its access token on the very next request to any network process, from network's own record", async () => {
    const { slug } = await foundWithSession("ended-here");
    const session = await login(second.url, slug);
    const other = await login(second.url, slug);
    for (const url of [second.url, hubNetworkUrl])
      expect((await me(url, session.token)).body.data?.me.memberships).toEqual([{ handle: "wren" }]);

    const loggedOut = await graphql(
      second.url,
      `
        mutation ($r: String!) {
          logout(refreshToken: $r)
        }
      `,
      {
        r: session.refreshToken,
      },
    );
    expect(loggedOut.body.data?.logout).toBe(true);
    // Network answers from its own database, not from what Redis was told: even with Redis's word gone,
    // the token is refused by this process and by the hub's.
    await redis.del(endedSessionKey(sessionOf(session.token)));
    for (const url of [second.url, hubNetworkUrl]) {
      const refused = await me(url, session.token);
      expect(refused.status).toBe(401);
      expect(refused.body.data ?? null).toBeNull();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/session has ended/),
        extensions: { code: "UNAUTHENTICATED" },
      });
    }
    // The person's other session stands.
    expect((await me(hubNetworkUrl, other.token)).body.data?.me.memberships).toEqual([{ handle: "wren" }]);
  });

  it("ends every session of the person at once when a replaced refresh token comes back", async () => {
    const { slug } = await foundWithSession("copied");
    const first = await login(hubNetworkUrl, slug);
    const other = await login(hubNetworkUrl, slug);
    const rotate = (refreshToken: string) =>
      graphql(second.url, `mutation ($r: String!) { refreshSession(refreshToken: $r) { ${SESSION_FIELDS} } }`, {
        r: refreshToken,
      });
    const renewed = dataOrThrow(await rotate(first.refreshToken), "refreshSession").refreshSession as Session;
    expect((await me(hubNetworkUrl, renewed.token)).body.data?.me.memberships).toEqual([{ handle: "wren" }]);

    expect((await rotate(first.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    for (const token of [first.token, renewed.token, other.token])
      expect((await me(hubNetworkUrl, token)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
