import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import pg from "pg";
import { gql, signPersonToken } from "@rhizome/kit";
import { randomTokenSecret, startHub, startLocalStack, type LocalStack, type RunningHub } from "@rhizome/infra";
import { loadClient } from "./load-client.js";
import {
  benchEnvironment,
  latencies,
  peakMemoryMiB,
  profilingFlags,
  timed,
  waitFor,
  type Latencies,
} from "./measure.js";

const settings = {
  circles: Number(process.env.BENCH_CIRCLES ?? 1_000),
  toolsPerCircle: Number(process.env.BENCH_TOOLS_PER_CIRCLE ?? 100),
  searchesPerMode: Number(process.env.BENCH_SEARCHES ?? 2_000),
  reservations: Number(process.env.BENCH_RESERVATIONS ?? 1_000),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  pageSize: 20,
};
const REPRODUCE = "npm run bench -- tools";
const client = loadClient(settings.concurrency);
// Measured here, the gateway's CPU per search falls from 2.2 to 1.5 ms over its first 10,000 requests.
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP ?? 6_000);
const HUB_READY_TIMEOUT_MS = 5 * 60_000;
const BENCH_TOKEN_TTL_SECONDS = 60 * 60;
const NAMES = [
  "Cordless drill",
  "Leaf rake",
  "Bow saw",
  "Pressure washer",
  "Tile cutter",
  "Ladder",
  "Sander",
  "Hedge trimmer",
  "Socket set",
  "Wheelbarrow",
  "Sewing machine",
  "Bike pump",
  "Jigsaw",
  "Spade",
  "Soldering iron",
  "Canning pot",
  "Tent",
  "Paint roller",
  "Stud finder",
  "Pipe wrench",
];
const CATEGORIES = [
  "power-tools",
  "garden",
  "kitchen",
  "camping",
  "bikes",
  "sewing",
  "plumbing",
  "painting",
  "electronics",
  "ladders",
];
const WORDS = ["sturdy", "batteries", "spare", "blade", "cable", "wooden", "handle", "compact", "heavy", "case"];

const CIRCLE_TOOLS = `query Search($c: ID!, $search: ToolSearchInput) { circle: _entities(representations: [{ __typename: "Circle", id: $c }]) { ... on Circle { tools(search: $search, first: ${settings.pageSize}) { items { id name category isAvailable } } } } }`;
const GATEWAY_TOOLS = `query Search($slug: String!, $search: ToolSearchInput) { circle(slug: $slug) { tools(search: $search, first: ${settings.pageSize}) { items { id name category isAvailable } } } }`;
const RESERVE = `mutation Reserve($toolId: ID!) { reserveTool(toolId: $toolId) { number } }`;
// What store/catalogue.ts sends for a category or words search, for the pg-alone baseline.
const SEARCH_SQL = {
  category: `SELECT * FROM tools t WHERE t.circle_id = $1 AND t.retired_at IS NULL AND t.category = $2 ORDER BY lower(t.name) ASC, t.id ASC LIMIT $3`,
  words: `SELECT * FROM tools t WHERE t.circle_id = $1 AND t.retired_at IS NULL AND t.search @@ plainto_tsquery('simple', $2) ORDER BY lower(t.name) ASC, t.id ASC LIMIT $3`,
};

interface BenchCircle {
  id: string;
  slug: string;
  token: string;
}

function connect(databaseUrl: string, searchPath: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${searchPath}` });
}

/** Circles in network (the gateway finds them by slug) and their tools in tools, written in bulk. */
async function seed(databaseUrl: string, tokenSecret: string): Promise<BenchCircle[]> {
  const circles: BenchCircle[] = [];
  const stamp = Date.now().toString(36);
  for (let i = 0; i < settings.circles; i++) {
    const id = randomUUID();
    const memberId = randomUUID();
    const token = (
      await signPersonToken(tokenSecret, randomUUID(), [{ circleId: id, memberId, roles: ["member"] }], {
        now: new Date(),
        ttlSeconds: BENCH_TOKEN_TTL_SECONDS,
      })
    ).token;
    circles.push({ id, slug: `bench-${stamp}-${i}`, token });
  }
  const network = connect(databaseUrl, "network");
  const tools = connect(databaseUrl, "tools");
  await Promise.all([network.connect(), tools.connect()]);
  try {
    await network.query(
      `INSERT INTO circles (id, slug, name) SELECT * FROM unnest($1::uuid[], $2::text[], $2::text[])`,
      [circles.map((c) => c.id), circles.map((c) => c.slug)],
    );
    await tools.query(
      `INSERT INTO tools (id, circle_id, name, category, description, condition, host_member_id, holder_member_id, location_cell, added_at, updated_at)
       SELECT gen_random_uuid(), c.id, ($3::text[])[1 + n % 20] || ' ' || n, ($4::text[])[1 + (n * 7) % 10],
              'A ' || ($5::text[])[1 + n % 10] || ' one with a ' || ($5::text[])[1 + (n * 3) % 10], CASE WHEN n % 9 = 0 THEN 'WORN' ELSE 'GOOD' END,
              h.host, h.host, 'u4pr' || substr('0123456789bcdefghjkmnpqrstuvwxyz', 1 + n % 32, 1), now(), now()
       FROM unnest($1::uuid[]) AS c(id) CROSS JOIN LATERAL (SELECT gen_random_uuid() AS host) h CROSS JOIN generate_series(1, $2) AS n`,
      [circles.map((c) => c.id), settings.toolsPerCircle, NAMES, CATEGORIES, WORDS],
    );
    await tools.query(`ANALYZE tools`);
  } finally {
    await Promise.all([network.end(), tools.end()]);
  }
  return circles;
}

/** "both" alternates the two, as a running hub's traffic does; it warms the hub up. */
type Mode = "category" | "words" | "both";
const searchOf = (mode: Mode, i: number) =>
  mode === "category" || (mode === "both" && i % 2 === 0)
    ? { category: CATEGORIES[i % CATEGORIES.length] }
    : { words: WORDS[i % WORDS.length] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
function expectTools(response: Awaited<ReturnType<typeof client.post>>, path: (data: Record<string, any>) => unknown) {
  const items = response.body.data && path(response.body.data);
  if (response.body.errors?.length || !Array.isArray(items) || items.length === 0)
    throw new Error(`search failed: ${JSON.stringify(response.body.errors ?? response.body.data)}`);
}

async function searchThroughGateway(url: string, circles: BenchCircle[], mode: Mode, count = settings.searchesPerMode) {
  return latencies(count, settings.concurrency, async (i) => {
    const circle = circles[(i * 7919) % circles.length];
    expectTools(
      await client.post(
        url,
        GATEWAY_TOOLS,
        { slug: circle.slug, search: searchOf(mode, i) },
        { authorization: `Bearer ${circle.token}` },
      ),
      (d) => d.circle?.tools.items,
    );
  });
}

async function searchStraight(url: string, circles: BenchCircle[], mode: Mode, count = settings.searchesPerMode) {
  return latencies(count, settings.concurrency, async (i) => {
    const circle = circles[(i * 7919) % circles.length];
    expectTools(
      await client.post(
        url,
        CIRCLE_TOOLS,
        { c: circle.id, search: searchOf(mode, i) },
        { authorization: `Bearer ${circle.token}` },
      ),
      (d) => d.circle?.[0]?.tools.items,
    );
  });
}

async function searchWithPgAlone(databaseUrl: string, circles: BenchCircle[], mode: Exclude<Mode, "both">) {
  const clients = Array.from({ length: settings.concurrency }, () => connect(databaseUrl, "tools"));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    return await latencies(settings.searchesPerMode, settings.concurrency, async (i, worker) => {
      const circle = circles[(i * 7919) % circles.length];
      const search = searchOf(mode, i);
      const rows = await clients[worker].query(SEARCH_SQL[mode], [
        circle.id,
        "category" in search ? search.category : search.words,
        settings.pageSize + 1,
      ]);
      if (rows.rowCount === 0) throw new Error("pg search found nothing");
    });
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** `settings.reservations` members of one circle reserve the same tool, 16 at a time. */
async function reserveOnePopularTool(url: string, circle: BenchCircle, tokenSecret: string, databaseUrl: string) {
  const db = connect(databaseUrl, "tools");
  await db.connect();
  try {
    const toolId: string = (
      await db.query(`SELECT id FROM tools WHERE circle_id = $1 AND category = 'garden' ORDER BY id LIMIT 1`, [
        circle.id,
      ])
    ).rows[0].id;
    const tokens = await Promise.all(
      Array.from(
        { length: settings.reservations },
        async () =>
          (
            await signPersonToken(
              tokenSecret,
              randomUUID(),
              [{ circleId: circle.id, memberId: randomUUID(), roles: ["member"] }],
              { now: new Date(), ttlSeconds: BENCH_TOKEN_TTL_SECONDS },
            )
          ).token,
      ),
    );
    const figures = await latencies(settings.reservations, settings.concurrency, async (i) => {
      const response = await client.post(url, RESERVE, { toolId }, { authorization: `Bearer ${tokens[i]}` });
      if (!response.body.data?.reserveTool)
        throw new Error(`reservation failed: ${JSON.stringify(response.body.errors)}`);
    });
    const [{ count, max }] = (
      await db.query(`SELECT count(*)::int AS count, max(position) AS max FROM reservations WHERE tool_id = $1`, [
        toolId,
      ])
    ).rows;
    if (count !== settings.reservations || max !== settings.reservations)
      throw new Error(`expected positions 1..${settings.reservations}, got ${count} rows up to ${max}`);
    return figures;
  } finally {
    await db.end();
  }
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  try {
    console.log(
      `Tools benchmark: ${settings.circles} circles x ${settings.toolsPerCircle} tools, ${settings.searchesPerMode} searches per mode and path, ${settings.reservations} reservations per path, ${settings.concurrency} concurrent clients.`,
    );
    stack = await startLocalStack({ ephemeral: true, durable: true, output: "tail" });
    const tokenSecret = randomTokenSecret();
    // A busy machine can take minutes to start every process under tsx.
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret,
      env: benchEnvironment(),
      ...profilingFlags(),
      nodeEnv: "production",
      logLevel: "warn",
      output: "tail",
      readyTimeoutMs: HUB_READY_TIMEOUT_MS,
    });
    const gatewayUrl = hub.gatewayUrl!;
    const toolsUrl = `${hub.serviceUrls.tools}/graphql`;
    const toolsPid = hub.processes.find((p) => p.name === "tools")?.pid;
    await waitFor("the tools schema", async () => (await gql(toolsUrl, "{ __typename }", {})).status === 200, 60_000);

    const seeding = await timed(() => seed(stack!.databaseUrl, tokenSecret));
    const circles = seeding.result;
    console.log(`Seeded ${settings.circles * settings.toolsPerCircle} tools in ${round(seeding.seconds)} s.`);

    // Warm up each path, so the figures are of a running hub that has looked up each circle lately
    // and whose code is compiled, not of its first requests.
    const warmup = Math.max(settings.circles, WARMUP_REQUESTS);
    await searchThroughGateway(gatewayUrl, circles, "both", warmup);
    await searchStraight(toolsUrl, circles, "both", warmup);
    // eslint-disable-next-line no-restricted-syntax -- filled for every mode and path just below, before it is read
    const search: Record<Exclude<Mode, "both">, Record<"gateway" | "subgraph" | "pg", Latencies>> = {} as never;
    for (const mode of ["category", "words"] as const) {
      search[mode] = {
        gateway: await searchThroughGateway(gatewayUrl, circles, mode),
        subgraph: await searchStraight(toolsUrl, circles, mode),
        pg: await searchWithPgAlone(stack.databaseUrl, circles, mode),
      };
    }
    const reservations = {
      gateway: await reserveOnePopularTool(gatewayUrl, circles[0], tokenSecret, stack.databaseUrl),
      subgraph: await reserveOnePopularTool(toolsUrl, circles[1], tokenSecret, stack.databaseUrl),
    };
    const toolsPeakMiB = toolsPid ? await peakMemoryMiB(toolsPid) : undefined;

    const figures = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      settings,
      search,
      reservations,
      toolsPeakMemoryMiB: toolsPeakMiB === undefined ? null : round(toolsPeakMiB),
      reproduce: REPRODUCE,
    };
    const row = (label: string, f: Latencies, baseline: Latencies) =>
      `| ${label} | ${f.p50} | ${f.p95} | ${f.perSecond} | ${round(f.p95 / baseline.p95, 1)}x |`;
    const lines = [
      "",
      `| search of one circle's ${settings.toolsPerCircle} tools (${settings.concurrency} clients, page of ${settings.pageSize}) | p50 ms | p95 ms | per second | p95 vs pg alone |`,
      "|---|---|---|---|---|",
    ];
    for (const mode of ["category", "words"] as const) {
      const s = search[mode];
      lines.push(
        row(`${mode}: through the gateway`, s.gateway, s.pg),
        row(`${mode}: straight to the tools subgraph`, s.subgraph, s.pg),
        row(`${mode}: the same SQL with the pg driver alone`, s.pg, s.pg),
      );
    }
    lines.push(
      "",
      `| ${settings.reservations} members reserving one tool (${settings.concurrency} clients) | p50 ms | p95 ms | reservations/s |`,
      "|---|---|---|---|",
      `| through the gateway | ${reservations.gateway.p50} | ${reservations.gateway.p95} | ${reservations.gateway.perSecond} |`,
      `| straight to the tools subgraph | ${reservations.subgraph.p50} | ${reservations.subgraph.p95} | ${reservations.subgraph.perSecond} |`,
      "",
      `Peak memory (VmHWM) of the tools process: ${figures.toolsPeakMemoryMiB ?? "unavailable"} MiB`,
      `Reproduce: ${REPRODUCE}`,
    );
    console.log(lines.join("\n"));
    await mkdir("bench-results", { recursive: true });
    const file = `bench-results/tools-${figures.measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Figures written to ${file}`);
  } finally {
    client.close();
    await hub?.stop();
    await stack?.stop();
  }
}
