import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { signPersonToken, type CircleRole } from "@rhizome/kit";
import { dataOrThrow, graphql } from "@rhizome/kit/testing";
import { findFreePorts, randomTokenSecret, REPO_ROOT, startLocalStack } from "@rhizome/infra";
import { throughput, waitFor } from "./measure.js";

/**
 * `npm run bench -- federation`: exchanges between members of circles on two hubs, through a
 * trunk (three barter processes, each its own database), against sister exchanges between two
 * circles of one hub, in one run, rounds alternating. An exchange is the proposal and the
 * confirmation: two GraphQL requests either way, straight to the barter processes.
 */
const settings = {
  exchangesPerRound: Number(process.env.BENCH_EXCHANGES ?? 300),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8),
  pairs: 32,
  warmup: Number(process.env.BENCH_WARMUP ?? 200),
};
const REPRODUCE = "npm run bench -- federation";
const TOKEN_TTL_SECONDS = 60 * 60;
const KEYS = { east: randomBytes(24).toString("hex"), west: randomBytes(24).toString("hex") };

interface Node {
  name: string;
  url: string;
  process: ChildProcess;
}

async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startNode(
  name: string,
  port: number,
  env: Record<string, string>,
  common: Record<string, string>,
): Promise<Node> {
  const [metricsPort] = await findFreePorts(1);
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "services/barter/dist/main.js")], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...common, PORT: String(port), METRICS_PORT: String(metricsPort), ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `${name} to answer /health`,
    () =>
      fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    120_000,
    200,
  );
  return { name, url, process: child };
}

async function member(tokenSecret: string, circleId: string, roles: CircleRole[] = ["member"]) {
  const memberId = randomUUID();
  const { token } = await signPersonToken(tokenSecret, randomUUID(), [{ circleId, memberId, roles }], {
    now: new Date(),
    ttlSeconds: TOKEN_TTL_SECONDS,
  });
  return { circleId, memberId, token };
}

async function call(url: string, query: string, variables: Record<string, unknown>, token: string) {
  return dataOrThrow(await graphql(`${url}/graphql`, query, variables, { authorization: `Bearer ${token}` }), "bench");
}

const JOIN = `mutation ($c: ID!, $n: String!) { joinCreditCommons(circleId: $c, ledgerName: $n, tradeLimitMinutes: 12000) { path } }`;
const ADDRESS = `query ($c: ID!) { creditCommonsAddress(circleId: $c) }`;
const PROPOSE_REMOTE = `mutation ($c: ID!, $p: String!) { proposeRemoteExchange(circleId: $c, payeePath: $p, minutes: 1) { id } }`;
const CONFIRM_REMOTE = `mutation ($id: ID!) { confirmRemoteExchange(id: $id) { status } }`;
const PROPOSE_LINK = `mutation ($input: ProposeSisterLinkInput!) { proposeSisterLink(input: $input) { id } }`;
const ACCEPT_LINK = `mutation ($c: ID!, $l: ID!) { acceptSisterLink(circleId: $c, linkId: $l) { status } }`;
const PUBLISH = `mutation ($input: PublishListingInput!) { publishListing(input: $input) { id } }`;
const PROPOSE_SISTER = `mutation ($input: ProposeSisterExchangeInput!) { proposeSisterExchange(input: $input) { id } }`;
const CONFIRM_SISTER = `mutation ($id: ID!) { confirmSisterExchange(exchangeId: $id) { status } }`;

export async function runBenchmark(): Promise<void> {
  const stack = await startLocalStack({ ephemeral: true, durable: true });
  const nodes: Node[] = [];
  try {
    const tokenSecret = randomTokenSecret();
    const [trunkPort, eastPort, westPort] = await findFreePorts(3);
    const cc = (port: number) => `http://127.0.0.1:${port}/cc/`;
    const common = {
      NODE_ENV: "development",
      LOG_LEVEL: "error",
      REDIS_URL: stack.redisUrl,
      TOKEN_SECRET: tokenSecret,
      HOST: "127.0.0.1",
      ROLE: "api",
      SUBGRAPH_ACCESS: "open",
      CC_NEIGHBOUR_LIMIT_MINUTES: "1000000",
      // With ROLE api barter reads no events; network is asked only about API keys, which the benchmark does not use.
      NETWORK_URL: "http://127.0.0.1:9",
    };
    const [trunkDb, eastDb, westDb] = await Promise.all(
      ["bench_trunk", "bench_east", "bench_west"].map((name) => createDatabase(stack.databaseUrl, name)),
    );
    nodes.push(
      ...(await Promise.all([
        startNode(
          "trunk",
          trunkPort,
          {
            DATABASE_URL: trunkDb,
            CC_NODE_PATH: "trunk",
            CC_BRANCHES: JSON.stringify([
              { name: "east", url: cc(eastPort), key: KEYS.east },
              { name: "west", url: cc(westPort), key: KEYS.west },
            ]),
          },
          common,
        ),
        startNode(
          "east",
          eastPort,
          {
            DATABASE_URL: eastDb,
            CC_NODE_PATH: "trunk/east",
            CC_TRUNKWARD_URL: cc(trunkPort),
            CC_TRUNKWARD_KEY: KEYS.east,
          },
          common,
        ),
        startNode(
          "west",
          westPort,
          {
            DATABASE_URL: westDb,
            CC_NODE_PATH: "trunk/west",
            CC_TRUNKWARD_URL: cc(trunkPort),
            CC_TRUNKWARD_KEY: KEYS.west,
          },
          common,
        ),
      ])),
    );
    const [, east, west] = nodes;

    // Cross-hub: garden on east pays orchard on west. Same hub: meadow members receive from garden's providers, both on east.
    const [garden, orchard, meadow] = [randomUUID(), randomUUID(), randomUUID()];
    const gardenOrganizer = await member(tokenSecret, garden, ["member", "organizer"]);
    const orchardOrganizer = await member(tokenSecret, orchard, ["member", "organizer"]);
    const meadowOrganizer = await member(tokenSecret, meadow, ["member", "organizer"]);
    await call(east.url, JOIN, { c: garden, n: "garden" }, gardenOrganizer.token);
    await call(west.url, JOIN, { c: orchard, n: "orchard" }, orchardOrganizer.token);
    // Barter learns a circle when one of its members first acts there.
    await call(east.url, JOIN, { c: meadow, n: "meadow" }, meadowOrganizer.token);
    const link = await call(
      east.url,
      PROPOSE_LINK,
      { input: { circleId: garden, sisterCircleId: meadow, balanceLimitMinutes: 12000 } },
      gardenOrganizer.token,
    );
    await call(east.url, ACCEPT_LINK, { c: meadow, l: link.proposeSisterLink.id }, meadowOrganizer.token);

    const remotePairs = await Promise.all(
      Array.from({ length: settings.pairs }, async () => {
        const payer = await member(tokenSecret, garden);
        const payee = await member(tokenSecret, orchard);
        const payeePath = (await call(west.url, ADDRESS, { c: orchard }, payee.token)).creditCommonsAddress as string;
        return { payer, payee, payeePath };
      }),
    );
    const sisterPairs = await Promise.all(
      Array.from({ length: settings.pairs }, async () => {
        const provider = await member(tokenSecret, garden);
        const receiver = await member(tokenSecret, meadow);
        const listing = await call(
          east.url,
          PUBLISH,
          {
            input: {
              circleId: garden,
              kind: "OFFER",
              skills: ["repair"],
              description: "Fixing bikes",
              visibleToSisters: true,
            },
          },
          provider.token,
        );
        return { provider, receiver, listingId: listing.publishListing.id as string };
      }),
    );

    const crossHub = async (index: number) => {
      const pair = remotePairs[index % remotePairs.length];
      const proposed = await call(east.url, PROPOSE_REMOTE, { c: garden, p: pair.payeePath }, pair.payer.token);
      await call(west.url, CONFIRM_REMOTE, { id: proposed.proposeRemoteExchange.id }, pair.payee.token);
    };
    const sameHub = async (index: number) => {
      const pair = sisterPairs[index % sisterPairs.length];
      const proposed = await call(
        east.url,
        PROPOSE_SISTER,
        { input: { circleId: meadow, listingId: pair.listingId, minutes: 1 } },
        pair.receiver.token,
      );
      await call(east.url, CONFIRM_SISTER, { id: proposed.proposeSisterExchange.id }, pair.provider.token);
    };
    const items = (count: number) => Array.from({ length: count }, (_, index) => index);
    // Each pair works one exchange at a time, so no two workers race on one member's account.
    const run = (work: (index: number) => Promise<void>, count: number) =>
      throughput(items(count), settings.concurrency, (item) => work(item));

    console.log(`Warming up (${settings.warmup} exchanges each way)...`);
    await run(crossHub, settings.warmup);
    await run(sameHub, settings.warmup);
    const rounds: Array<{ crossHub: number; sameHub: number }> = [];
    for (let round = 0; round < settings.rounds; round++) {
      const cross = await run(crossHub, settings.exchangesPerRound);
      const same = await run(sameHub, settings.exchangesPerRound);
      if (cross.failures || same.failures)
        throw new Error(
          `Round ${round}: ${cross.failures} cross-hub and ${same.failures} same-hub failures: ${String(cross.firstFailure ?? same.firstFailure)}`,
        );
      rounds.push({ crossHub: cross.perSecond, sameHub: same.perSecond });
      console.log(
        `round ${round + 1}: cross-hub ${cross.perSecond.toFixed(1)}/s, same-hub sister ${same.perSecond.toFixed(1)}/s`,
      );
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const crossHubExchangesPerSecond = median(rounds.map((r) => r.crossHub));
    const sameHubSisterExchangesPerSecond = median(rounds.map((r) => r.sameHub));
    const figures = {
      benchmark: "federation",
      measuredAt: new Date().toISOString(),
      reproduce: REPRODUCE,
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg() },
      settings,
      crossHubExchangesPerSecond: Number(crossHubExchangesPerSecond.toFixed(1)),
      sameHubSisterExchangesPerSecond: Number(sameHubSisterExchangesPerSecond.toFixed(1)),
      ratio: Number((crossHubExchangesPerSecond / sameHubSisterExchangesPerSecond).toFixed(3)),
      goalRatio: 0.25,
      rounds,
    };
    console.log(JSON.stringify(figures, null, 2));
    await mkdir("bench-results", { recursive: true });
    await writeFile(
      `bench-results/federation-${figures.measuredAt.replace(/[:.]/g, "-")}.json`,
      `${JSON.stringify(figures, null, 2)}\n`,
    );
  } finally {
    for (const node of nodes) node.process.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await stack.stop();
  }
}
