import { afterAll, describe, expect, it } from "vitest";
import { DEMO_PASSPHRASE, restartDelayMs, SERVICES_HOST } from "@rhizome/infra";
import { eventually, graphql } from "@rhizome/kit/testing";
import { npmStart, type NpmStartedHub } from "./support/npm-start.js";

const READY_TIMEOUT_MS = 150_000;
/** An empty hub lives a past cycle before it is ready: a minute or more on a loaded machine. */
const SEEDED_READY_TIMEOUT_MS = 400_000;

async function everyServiceAnswers(hub: NpmStartedHub): Promise<boolean> {
  for (const baseUrl of Object.values(hub.serviceUrls)) {
    const ready = await fetch(`${baseUrl}/ready`).catch(() => undefined);
    if (ready?.status !== 200) return false;
  }
  const { status, body } = await graphql(hub.gatewayUrl, "query NpmStartSmoke { __typename }").catch(() => ({
    status: 0,
    body: {},
  }));
  return status === 200 && (body as { data?: unknown }).data !== undefined;
}

describe("npm start", () => {
  let hub: NpmStartedHub | undefined;
  afterAll(async () => {
    await hub?.cleanUp();
  });

  it("runs compiled JavaScript, restarts a process that crashes, and stops everything on SIGTERM to npm", async () => {
    hub = await npmStart();
    await hub.waitForOutput(/Rhizome is ready/, READY_TIMEOUT_MS);
    expect(await everyServiceAnswers(hub)).toBe(true);

    const nodes = hub.tree().filter((info) => info.name === "node" || info.command.startsWith("node "));
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(node.command, "no TypeScript loader at run time").not.toMatch(/tsx|\.ts\b/);

    // A crash (here, SIGKILL to the process that runs the services) is followed by a restart, not a stop.
    const host = hub
      .tree()
      .find((info) => info.command.includes(SERVICES_HOST.entry.replace("/src/", "/dist/").replace(/\.ts$/, ".js")));
    expect(host, "the services' process").toBeDefined();
    process.kill(host!.pid, "SIGKILL");
    await hub.waitForOutput(/Starting services again in 1 s/, 20_000);
    await eventually(
      async () => ((await everyServiceAnswers(hub!)) ? true : undefined),
      "every service ready again after the restart",
      90_000,
    );
    expect(hub.npm.exitCode).toBeNull();

    const left = await hub.stopWithSigterm();
    expect(left.map((info) => `${info.name} ${info.command}`)).toEqual([]);
  }, 300_000);
});

describe("npm start on a hub that runs only registered operations", () => {
  let hub: NpmStartedHub | undefined;
  afterAll(async () => {
    await hub?.cleanUp();
  });

  it("seeds the demo network with past lunar cycles of activity, whose members can then log in, and prints the app's address and a demo login", async () => {
    // One past cycle here (DEMO_PAST_CYCLES): the demo's own test lives all three in a browser.
    hub = await npmStart({ SEED: "true", PERSISTED_OPERATIONS_ONLY: "true", DEMO_PAST_CYCLES: "1" });
    await hub.waitForOutput(/Started in/, SEEDED_READY_TIMEOUT_MS);
    expect(hub.output()).toMatch(
      /Seeded a demo network: riverside, hillcrest, old-mill \(with 1 past lunar cycle of activity and this one's\)/,
    );
    const origin = new URL(hub.gatewayUrl).origin;
    expect(hub.output()).toContain(`The app (members and organizers): ${origin}/app/`);
    expect(hub.output()).toContain(
      `Demo login in the app: circle "riverside", handle "ada", passphrase "${DEMO_PASSPHRASE}"`,
    );
    console.log(hub.output().match(/Started in .*/)?.[0]);
    // The gateway still refuses anonymous operations that are not registered (login included); network itself logs the demo member in.
    const login = `mutation { login(input: { circleSlug: "riverside", handle: "ada", passphrase: "${DEMO_PASSPHRASE}" }) { token } }`;
    expect((await graphql(hub.gatewayUrl, login)).body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const { body } = await graphql(`${hub.serviceUrls.network}/graphql`, login);
    expect(body.data?.login.token).toEqual(expect.any(String));
    // The organizers' figures are not zeros: events and exchanges in past cycles, closed by their new moons, and in this one.
    const token = body.data!.login.token as string;
    const me = await graphql(
      hub.gatewayUrl,
      `
        query {
          me {
            memberships {
              circle {
                id
              }
            }
          }
        }
      `,
      {},
      token,
    );
    const circleId = me.body.data!.me.memberships[0].circle.id as string;
    const history = await graphql(
      hub.gatewayUrl,
      `
        query ($c: ID!) {
          sovereigntyHistory(circleId: $c, cycles: 2) {
            cycle
            sovereigntyEvents
            exchanges
            isClosed
          }
        }
      `,
      { c: circleId },
      token,
    );
    const scores = history.body.data!.sovereigntyHistory as Array<{
      sovereigntyEvents: number;
      exchanges: number;
      isClosed: boolean;
    }>;
    expect(scores).toHaveLength(2);
    for (const score of scores) expect(score.sovereigntyEvents).toBeGreaterThan(0);
    expect(scores.slice(0, 1).map((score) => [score.isClosed, score.exchanges])).toEqual([[true, 6]]);
    await eventually(async () => {
      const now = await graphql(
        hub!.gatewayUrl,
        `
          query ($c: ID!) {
            sovereigntyHistory(circleId: $c, cycles: 1) {
              exchanges
            }
          }
        `,
        { c: circleId },
        token,
      );
      return now.body.data?.sovereigntyHistory[0].exchanges === 6 ? true : undefined;
    }, "the seeded exchanges counted in this cycle's figures");
    expect(await hub.stopWithSigterm()).toEqual([]);
  }, 600_000);
});

describe("restart backoff", () => {
  it("waits 1 s after a first crash and doubles with each crash in a row, up to 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(restartDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });
});
