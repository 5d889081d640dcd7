import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import pg from "pg";
import { cycleContaining, precedingCycle, type LunarCycle } from "@rhizome/kit";
import { randomTokenSecret, startHub, startLocalStack, type LocalStack, type RunningHub } from "@rhizome/infra";
import { sovereigntyMetrics } from "@rhizome/sovereignty/bench";
import { loadClient } from "./load-client.js";
import { benchEnvironment, latencies, peakMemoryMiB, profilingFlags, timed, type Latencies } from "./measure.js";

const settings = {
  circles: Number(process.env.BENCH_CIRCLES ?? 10_000),
  cycles: Number(process.env.BENCH_CYCLES ?? 12),
  requests: Number(process.env.BENCH_REQUESTS ?? 2_000),
  // A hub's processes reach their steady speed only after some thousands of requests (JIT).
  warmupRequests: Number(process.env.BENCH_WARMUP ?? 4_000),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  pageSize: Number(process.env.BENCH_PAGE_SIZE ?? 20),
  boardCircles: Number(process.env.BENCH_BOARD_CIRCLES ?? 200),
  /** Open needs (requests and reservations) per circle on the needs board, over 80 categories and 400 members. */
  needsPerCircle: Number(process.env.BENCH_NEEDS_PER_CIRCLE ?? 2_000),
};
const P95_TARGET_MS = 50;
// The whole hub starts under tsx; on a shared, busy machine that can take minutes.
const HUB_READY_TIMEOUT_MS = 300_000;
const REPRODUCE = "npm run bench -- sovereignty";
const client = loadClient(settings.concurrency);

const COMPARE = `query Compare($metric: SovereigntyMetric!, $first: Int) {
  compareCircles(metric: $metric, first: $first) { items { rank value circle { id } trend { cycle value } } nextCursor } }`;
const TREND = `query Trend($circleId: ID!, $metric: SovereigntyMetric!) { sovereigntyTrend(circleId: $circleId, metric: $metric) { cycle value } }`;
const BOARD = `query Board($circleId: ID!) { needsBoard(circleId: $circleId) { categories { category openNeeds membersWaiting openRequests reservationsWaiting } } }`;
const BOARD_CATEGORIES = 80;
const BOARD_MEMBERS = 400;

function connect(databaseUrl: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, options: "-c search_path=sovereignty" });
}

/**
 * 10,000 circles x 12 closed cycles of published figures, written as the scores job writes them
 * (one row per circle, metric and cycle); about one figure in ten is suppressed and 1% of circles
 * opted out of comparisons.
 */
async function seedFigures(databaseUrl: string, cycles: LunarCycle[]): Promise<string[]> {
  const db = connect(databaseUrl);
  await db.connect();
  try {
    await db.query("BEGIN");
    await db.query(
      `CREATE TEMP TABLE bench_circles ON COMMIT DROP AS SELECT gen_random_uuid() AS circle_id, n FROM generate_series(1, $1) AS n`,
      [settings.circles],
    );
    await db.query(
      `INSERT INTO published_figures (circle_id, metric, cycle, value)
       SELECT c.circle_id, m.metric, y.cycle,
              CASE WHEN m.metric = 'COMMAND_DISPLACEMENT_PER_CAPITA' THEN round((random() * 3)::numeric, 3)::float8 ELSE floor(random() * 500)::float8 END
       FROM bench_circles c CROSS JOIN unnest($1::text[]) AS m(metric) CROSS JOIN unnest($2::text[]) AS y(cycle)
       WHERE random() > 0.1`,
      [[...sovereigntyMetrics], cycles.map((c) => c.label)],
    );
    await db.query(
      `INSERT INTO circle_settings (circle_id, is_opted_out_of_comparison, updated_by, updated_at)
       SELECT circle_id, true, gen_random_uuid(), now() FROM bench_circles WHERE n % 100 = 0`,
    );
    const circleIds = (
      await db.query(`SELECT circle_id FROM bench_circles WHERE n % 100 <> 0 ORDER BY n LIMIT 2000`)
    ).rows.map((r: { circle_id: string }) => r.circle_id);
    await db.query("COMMIT");
    await db.query("ANALYZE published_figures");
    await db.query("ANALYZE circle_settings");
    return circleIds;
  } finally {
    await db.end();
  }
}

/**
 * Members' open needs as the event handlers write them: requests and reservations of 400 members over
 * 80 categories, per circle. Their circles are known to the service, as the kit records every circle an
 * event names (the board writes its snapshot only for known circles).
 */
async function seedNeeds(databaseUrl: string): Promise<string[]> {
  const db = connect(databaseUrl);
  await db.connect();
  try {
    const { rows } = await db.query(
      `WITH circles AS (SELECT gen_random_uuid() AS circle_id FROM generate_series(1, $1)),
       members AS (SELECT c.circle_id, array_agg(gen_random_uuid()) AS ids FROM circles c CROSS JOIN generate_series(1, $3) GROUP BY c.circle_id),
       known AS (INSERT INTO known_circles (circle_id, first_seen_at) SELECT circle_id, now() FROM circles),
       written AS (
         INSERT INTO waiting_needs (source, source_id, category, circle_id, member_id, opened_at)
         SELECT CASE WHEN n % 3 = 0 THEN 'RESERVATION' ELSE 'REQUEST' END, gen_random_uuid(), 'skill-' || (n % $4), m.circle_id, m.ids[1 + (n * 7) % $3], now()
         FROM members m CROSS JOIN generate_series(1, $2) AS n
         RETURNING circle_id)
       SELECT DISTINCT circle_id FROM written`,
      [settings.boardCircles, settings.needsPerCircle, BOARD_MEMBERS, BOARD_CATEGORIES],
    );
    await db.query("ANALYZE waiting_needs");
    return rows.map((row: { circle_id: string }) => row.circle_id);
  } finally {
    await db.end();
  }
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const metricOf = (i: number) => sovereigntyMetrics[i % sovereigntyMetrics.length];

async function overGraphql(url: string, circleIds: string[]) {
  const compare = async (i: number) => {
    const response = await client.post(url, COMPARE, { metric: metricOf(i), first: settings.pageSize });
    const items = response.body.data?.compareCircles?.items;
    if (!items || items.length !== settings.pageSize || items[0].trend.length !== 12)
      throw new Error(JSON.stringify(response.body.errors ?? response.body));
  };
  const trend = async (i: number) => {
    const response = await client.post(url, TREND, { circleId: circleIds[i % circleIds.length], metric: metricOf(i) });
    if (response.body.data?.sovereigntyTrend?.length !== 12)
      throw new Error(JSON.stringify(response.body.errors ?? response.body));
  };
  const board = (boardCircleIds: string[]) => async (i: number) => {
    const response = await client.post(url, BOARD, { circleId: boardCircleIds[i % boardCircleIds.length] });
    if (response.body.data?.needsBoard?.categories?.length !== BOARD_CATEGORIES)
      throw new Error(JSON.stringify(response.body.errors ?? response.body));
  };
  return { compare, trend, board };
}

/** The same two reads as the service's SQL, on bare pg connections: the floor under the API. */
async function overPg(databaseUrl: string, circleIds: string[], cycles: string[]) {
  const clients = Array.from({ length: settings.concurrency }, () => connect(databaseUrl));
  await Promise.all(clients.map((client) => client.connect()));
  const last = cycles[cycles.length - 1];
  return {
    compare: async (i: number, worker: number) => {
      const c = clients[worker];
      const ranked = await c.query(
        `SELECT f.circle_id, f.value FROM published_figures f WHERE f.cycle = $1 AND f.metric = $2
           AND NOT EXISTS (SELECT 1 FROM circle_settings s WHERE s.circle_id = f.circle_id AND s.is_opted_out_of_comparison)
         ORDER BY f.value DESC, f.circle_id DESC LIMIT $3`,
        [last, metricOf(i), settings.pageSize + 1],
      );
      await c.query(
        `SELECT circle_id, cycle, value FROM published_figures WHERE circle_id = ANY($1::uuid[]) AND metric = $2 AND cycle = ANY($3::text[])`,
        [ranked.rows.map((r: { circle_id: string }) => r.circle_id), metricOf(i), cycles],
      );
    },
    trend: async (i: number, worker: number) => {
      await clients[worker].query(
        `SELECT cycle, value FROM published_figures WHERE circle_id = ANY($1::uuid[]) AND metric = $2 AND cycle = ANY($3::text[])`,
        [[circleIds[i % circleIds.length]], metricOf(i), cycles],
      );
    },
    board: (boardCircleIds: string[]) => async (i: number, worker: number) => {
      const circleId = boardCircleIds[i % boardCircleIds.length];
      await clients[worker].query(
        `SELECT id, category, people_waiting FROM needs WHERE circle_id = $1 AND closed_at IS NULL ORDER BY posted_at DESC, id DESC LIMIT 200`,
        [circleId],
      );
      await clients[worker].query(
        `SELECT category, count(*) FILTER (WHERE source = 'REQUEST')::int AS requests, count(DISTINCT member_id) FILTER (WHERE source = 'REQUEST')::int AS requesters,
           count(*) FILTER (WHERE source = 'RESERVATION')::int AS reservations, count(DISTINCT member_id) FILTER (WHERE source = 'RESERVATION')::int AS reservers,
           count(DISTINCT member_id)::int AS members
         FROM waiting_needs WHERE circle_id = $1 GROUP BY category HAVING count(DISTINCT member_id) >= 5`,
        [circleId],
      );
    },
    close: () => Promise.all(clients.map((c) => c.end())),
  };
}

export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  try {
    console.log(
      `Sovereignty benchmark: ${settings.circles} circles x ${settings.cycles} cycles of published figures, ${settings.requests} requests per path, ${settings.concurrency} concurrent clients.`,
    );
    stack = await startLocalStack({ ephemeral: true, durable: true, output: "tail" });
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret: randomTokenSecret(),
      env: benchEnvironment(),
      ...profilingFlags(),
      nodeEnv: "production",
      logLevel: "warn",
      output: "tail",
      readyTimeoutMs: HUB_READY_TIMEOUT_MS,
    });
    const gatewayUrl = hub.gatewayUrl!;
    const subgraphUrl = `${hub.serviceUrls.sovereignty}/graphql`;
    const pid = hub.processes.find((p) => p.name === "sovereignty")?.pid;

    const lastClosed = precedingCycle(cycleContaining(new Date()));
    const cycles: LunarCycle[] = [lastClosed];
    while (cycles.length < settings.cycles) cycles.unshift(precedingCycle(cycles[0]));
    const seeding = await timed(() => seedFigures(stack!.databaseUrl, cycles));
    const circleIds = seeding.result;
    console.log(
      `Seeded ${settings.circles * settings.cycles * sovereigntyMetrics.length * 0.9} figures (about) in ${round(seeding.seconds)} s.`,
    );
    const needsSeeding = await timed(() => seedNeeds(stack!.databaseUrl));
    const boardCircleIds = needsSeeding.result;
    console.log(
      `Seeded ${settings.boardCircles * settings.needsPerCircle} members' open needs in ${round(needsSeeding.seconds)} s.`,
    );

    const gateway = await overGraphql(gatewayUrl, circleIds);
    const subgraph = await overGraphql(subgraphUrl, circleIds);
    const sql = await overPg(
      stack.databaseUrl,
      circleIds,
      cycles.map((c) => c.label),
    );
    const results: Record<string, Record<string, Latencies>> = { compare: {}, trend: {}, board: {} };
    try {
      for (const read of ["compare", "trend", "board"] as const) {
        for (const [path, reads] of Object.entries({ gateway, subgraph, pg: sql })) {
          const run = read === "board" ? reads.board(boardCircleIds) : reads[read];
          await latencies(settings.warmupRequests, settings.concurrency, run);
          results[read][path] = await latencies(settings.requests, settings.concurrency, run);
        }
      }
    } finally {
      await sql.close();
    }
    const peakMiB = pid ? await peakMemoryMiB(pid) : undefined;

    const figures = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      settings,
      p95TargetMs: P95_TARGET_MS,
      compareCirclesPage: results.compare,
      oneCircleTrend: results.trend,
      oneCircleNeedsBoard: results.board,
      ratios: {
        compareGatewayToPg: round(results.compare.gateway.p95 / results.compare.pg.p95, 1),
        compareGatewayToSubgraph: round(results.compare.gateway.p95 / results.compare.subgraph.p95, 1),
        trendGatewayToPg: round(results.trend.gateway.p95 / results.trend.pg.p95, 1),
        trendGatewayToSubgraph: round(results.trend.gateway.p95 / results.trend.subgraph.p95, 1),
        boardGatewayToPg: round(results.board.gateway.p95 / results.board.pg.p95, 1),
        boardGatewayToSubgraph: round(results.board.gateway.p95 / results.board.subgraph.p95, 1),
      },
      sovereigntyPeakMemoryMiB: peakMiB === undefined ? null : round(peakMiB),
      reproduce: REPRODUCE,
    };
    const row = (name: string, l: Latencies, ratio: string) =>
      `| ${name} | ${l.p50} | ${l.p95} | ${l.p99} | ${l.perSecond} | ${ratio} |`;
    const verdict = (l: Latencies) =>
      l.p95 < P95_TARGET_MS ? `under the ${P95_TARGET_MS} ms target` : `OVER the ${P95_TARGET_MS} ms target`;
    console.log(`
| compareCircles (page of ${settings.pageSize} with 12-cycle trends), ${settings.concurrency} clients | p50 ms | p95 ms | p99 ms | requests/s | p95 ratio |
|---|---|---|---|---|---|
${row("through the gateway", results.compare.gateway, `${figures.ratios.compareGatewayToPg}x pg, ${figures.ratios.compareGatewayToSubgraph}x subgraph`)}
${row("straight to the sovereignty subgraph", results.compare.subgraph, "")}
${row("the same SQL with the pg driver alone", results.compare.pg, "1")}

| one circle's 12-cycle trend, ${settings.concurrency} clients | p50 ms | p95 ms | p99 ms | requests/s | p95 ratio |
|---|---|---|---|---|---|
${row("through the gateway", results.trend.gateway, `${figures.ratios.trendGatewayToPg}x pg, ${figures.ratios.trendGatewayToSubgraph}x subgraph`)}
${row("straight to the sovereignty subgraph", results.trend.subgraph, "")}
${row("the same SQL with the pg driver alone", results.trend.pg, "1")}

| one circle's needs board (${settings.needsPerCircle} open needs, ${BOARD_MEMBERS} members, ${BOARD_CATEGORIES} categories), ${settings.concurrency} clients | p50 ms | p95 ms | p99 ms | requests/s | p95 ratio |
|---|---|---|---|---|---|
${row("through the gateway", results.board.gateway, `${figures.ratios.boardGatewayToPg}x pg, ${figures.ratios.boardGatewayToSubgraph}x subgraph`)}
${row("straight to the sovereignty subgraph", results.board.subgraph, "")}
${row("the same SQL with the pg driver alone", results.board.pg, "1")}

Through the gateway: comparison p95 ${results.compare.gateway.p95} ms (${verdict(results.compare.gateway)}), trend p95 ${results.trend.gateway.p95} ms (${verdict(results.trend.gateway)}), needs board p95 ${results.board.gateway.p95} ms (no target: its SQL alone takes ${results.board.pg.p95} ms at p95).
Peak memory (VmHWM) of the sovereignty process: ${figures.sovereigntyPeakMemoryMiB ?? "unavailable"} MiB
Reproduce: ${REPRODUCE}`);
    await mkdir("bench-results", { recursive: true });
    const file = `bench-results/sovereignty-${figures.measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Figures written to ${file}`);
  } finally {
    client.close();
    await hub?.stop();
    await stack?.stop();
  }
}
