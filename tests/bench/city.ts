import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  boundaryJobId,
  connectRedis,
  createQueue,
  cycleContaining,
  cycleJobsQueueName,
  precedingCycle,
  signPersonToken,
  type LunarCycle,
} from "@rhizome/kit";
import { randomTokenSecret, startHub, startLocalStack, type LocalStack, type RunningHub } from "@rhizome/infra";
import { loadClient } from "./load-client.js";
import { benchEnvironment, cpuMeter, peakMemoryMiB, profilingFlags, resetPeakMemory, timed } from "./measure.js";

const settings = {
  circles: Number(process.env.BENCH_CIRCLES ?? 10_000),
  membersPerCircle: Number(process.env.BENCH_MEMBERS_PER_CIRCLE ?? 100),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
  /** How long members read their home view before the new moon. */
  homeViewSeconds: Number(process.env.BENCH_SECONDS ?? 30),
  /** How long to wait for the new moon to finish before giving up. */
  newMoonTimeoutSeconds: Number(process.env.BENCH_NEW_MOON_TIMEOUT_SECONDS ?? 1_800),
};
const REPRODUCE = "npm run bench -- city";
/** How long each process's CPU is measured with nobody reading, to tell it from what the home views cost. */
const IDLE_SECONDS = 10;
const TOKEN_TTL_SECONDS = 60 * 60;
const PASSPHRASE_HASH = "not-a-hash: seeded members never log in";
const TOOLS_PER_CIRCLE = 5;
const VOLUNTEERS_PER_CIRCLE = 4;
const SEATS_PER_BODY = 5;
/** The cycle jobs every service runs at a new moon, by the service (schema and queue) that keeps their run records. */
const CYCLE_JOBS: Record<string, string[]> = {
  barter: ["expiry"],
  governance: ["role-rotation", "cycle-review", "bloc-changes"],
  sovereignty: ["scores"],
  tools: ["caretakers"],
};

/** The member app's home screen (its circles, balances, days to the new moon, what waits unread), sent as the app sends it: by persisted id. */
const HOME_DOCUMENT_ID = (() => {
  const manifest = JSON.parse(
    readFileSync(new URL("../../app/src/generated/persisted-documents.json", import.meta.url), "utf8"),
  ) as Record<string, string>;
  const [id] = Object.entries(manifest).find(([, document]) => document.startsWith("query Home ")) ?? [];
  if (!id) throw new Error("The app has no Home query: run npm run codegen -w app.");
  return id;
})();
const HOME_BODY = JSON.stringify({ documentId: HOME_DOCUMENT_ID, variables: {} });

/**
 * Ids are the md5 of a prefix and a number, marked as version 4 UUIDs, in Postgres and here alike,
 * so the load generator knows every member without asking.
 */
const UID_FUNCTION = `CREATE FUNCTION pg_temp.uid(text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$ SELECT overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid $$`;
function uuidOf(text: string): string {
  const md5 = createHash("md5").update(text).digest("hex");
  const hex = `${md5.slice(0, 12)}4${md5.slice(13, 16)}8${md5.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function schemaClient(databaseUrl: string, schema: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
}

async function withClient<T>(databaseUrl: string, schema: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = schemaClient(databaseUrl, schema);
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/**
 * One transaction per service, all in parallel, every row made by Postgres from generate_series:
 * nothing crosses the wire but the statements. Member n (from 1) is in circle ceil(n / perCircle);
 * its circle's k-th member is k = (n - 1) % perCircle + 1.
 */
async function seed(databaseUrl: string, ended: LunarCycle, current: LunarCycle): Promise<Record<string, number>> {
  const C = settings.circles;
  const M = settings.membersPerCircle;
  const N = C * M;
  const at = ended.startsAt;
  const circles = `SELECT c, pg_temp.uid('c' || c) AS circle_id FROM generate_series(1, ${C}) AS c`;
  const members = `SELECT n, ((n - 1) / ${M} + 1) AS c, ((n - 1) % ${M} + 1) AS k, pg_temp.uid('c' || ((n - 1) / ${M} + 1)) AS circle_id, pg_temp.uid('m' || n) AS member_id
                   FROM generate_series(1, ${N}) AS n`;
  const knownCircles = `INSERT INTO known_circles (circle_id, first_seen_at) SELECT circle_id, $1 FROM (${circles}) AS x`;
  const endedRuns = (purposes: string[]) =>
    `INSERT INTO cycle_runs (purpose, circle_id, cycle, started_at, finished_at, outcome)
     SELECT p, circle_id, '${ended.label}', '${ended.endsAt.toISOString()}', '${ended.endsAt.toISOString()}', 'null'::jsonb
     FROM (${circles}) AS x, unnest(ARRAY[${purposes.map((p) => `'${p}'`).join(",")}]) AS p`;
  const seconds: Record<string, number> = {};
  const inSchema = (schema: string, statements: Array<[string, unknown[]?]>) =>
    withClient(databaseUrl, schema, async (db) => {
      const startedAtMs = performance.now();
      await db.query(UID_FUNCTION);
      await db.query("BEGIN");
      for (const [sql, params] of statements) {
        const statementStartedAtMs = performance.now();
        await db.query(sql, params ?? []);
        // Statistics for what the transaction just wrote: a table last analyzed empty would make
        // each foreign-key check of the next insert scan it whole.
        const table = /^\s*INSERT INTO (\w+)/.exec(sql)?.[1];
        if (table) await db.query(`ANALYZE ${table}`);
        const tookSeconds = (performance.now() - statementStartedAtMs) / 1000;
        if (tookSeconds > 5)
          console.log(
            `  seeding ${schema} took ${tookSeconds.toFixed(1)} s for: ${sql.slice(0, 100).replace(/\s+/g, " ")}`,
          );
      }
      await db.query("COMMIT");
      // As a bulk load ends: otherwise autovacuum visits every table just written while members read.
      const { rows } = await db.query<{ name: string }>(
        `SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = $1`,
        [schema],
      );
      await db.query(`VACUUM (ANALYZE) ${rows.map((row) => row.name).join(", ")}`);
      seconds[schema] = Number(((performance.now() - startedAtMs) / 1000).toFixed(1));
    });
  await Promise.all([
    inSchema("network", [
      [
        `INSERT INTO circles (id, slug, name, created_at) SELECT circle_id, 'city-' || c, 'City circle ' || c, $1 FROM (${circles}) AS x`,
        [at],
      ],
      [`INSERT INTO known_circles (circle_id, first_seen_at) SELECT circle_id, $1 FROM (${circles}) AS x`, [at]],
      [
        `INSERT INTO persons (id, created_at) SELECT pg_temp.uid('p' || n), $1 FROM generate_series(1, ${N}) AS n`,
        [at],
      ],
      [
        `INSERT INTO members (id, circle_id, person_id, handle, passphrase_hash, bloc, roles, joined_at)
         SELECT member_id, circle_id, pg_temp.uid('p' || n), 'm' || n, $2, CASE WHEN k % 5 = 0 THEN 'ADVANTAGED' ELSE 'EDGE' END,
                CASE WHEN k = 1 THEN '{member,steward}'::text[] ELSE '{member}'::text[] END, $1
         FROM (${members}) AS x`,
        [at, PASSPHRASE_HASH],
      ],
    ]),
    // Accounts with a balance now, and a closed cycle of history: in the ended cycle each pair of
    // neighbours gave each other the same time (nothing left to expire, its expiry done); in this one,
    // the odd member gave the even one 30 to 135 minutes, which the new moon expires.
    inSchema("barter", [
      [
        `INSERT INTO circle_settings (circle_id, floor_minutes, ceiling_minutes, first_seen_at, updated_at, expired_through) SELECT circle_id, -600, 1200, $1, $1, $2 FROM (${circles}) AS x`,
        [at, ended.label],
      ],
      [knownCircles, [at]],
      [
        `INSERT INTO accounts (id, circle_id, kind, member_id, opened_at) SELECT pg_temp.uid('commons' || c), circle_id, 'COMMONS', NULL, $1 FROM (${circles}) AS x`,
        [at],
      ],
      [
        `INSERT INTO accounts (id, circle_id, kind, member_id, opened_at) SELECT pg_temp.uid('a' || n), circle_id, 'MEMBER', member_id, $1 FROM (${members}) AS x`,
        [at],
      ],
      [
        `CREATE TEMP TABLE pairs AS
         SELECT x.circle_id, g.cycle, g.at, g.ended, pg_temp.uid('a' || x.n) AS a_account, pg_temp.uid('a' || (x.n + 1)) AS b_account,
                x.member_id AS a_member, pg_temp.uid('m' || (x.n + 1)) AS b_member,
                (30 + (x.n % 8) * 15)::integer AS minutes, pg_temp.uid(g.cycle || 'x' || x.n) AS exchange_id, pg_temp.uid(g.cycle || 't' || x.n) AS transfer_id,
                pg_temp.uid(g.cycle || 'y' || x.n) AS back_exchange_id, pg_temp.uid(g.cycle || 'u' || x.n) AS back_transfer_id
         FROM (${members}) AS x,
              (VALUES ($1::text, $2::timestamptz, true), ($3::text, $4::timestamptz, false)) AS g(cycle, at, ended)
         WHERE x.k % 2 = 1 AND x.k < ${M}`,
        [ended.label, at, current.label, current.startsAt],
      ],
      [
        `INSERT INTO exchanges (id, circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, proposed_at, proposed_cycle, decided_at)
         SELECT exchange_id, circle_id, a_member, b_member, a_member, minutes, 'repair', '', 'CONFIRMED', at, cycle, at FROM pairs
         UNION ALL SELECT back_exchange_id, circle_id, b_member, a_member, b_member, minutes, 'cooking', '', 'CONFIRMED', at, cycle, at FROM pairs WHERE ended`,
      ],
      [
        `INSERT INTO transfers (id, circle_id, kind, cycle, exchange_id, recorded_at)
         SELECT transfer_id, circle_id, 'EXCHANGE', cycle, exchange_id, at FROM pairs
         UNION ALL SELECT back_transfer_id, circle_id, 'EXCHANGE', cycle, back_exchange_id, at FROM pairs WHERE ended`,
      ],
      [`ANALYZE pairs`],
      [
        `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
         SELECT transfer_id, a_account, minutes, cycle FROM pairs UNION ALL SELECT transfer_id, b_account, -minutes, cycle FROM pairs
         UNION ALL SELECT back_transfer_id, b_account, minutes, cycle FROM pairs WHERE ended
         UNION ALL SELECT back_transfer_id, a_account, -minutes, cycle FROM pairs WHERE ended`,
      ],
      [
        `INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes)
         SELECT a_account, cycle, circle_id, CASE WHEN ended THEN 0 ELSE minutes END FROM pairs
         UNION ALL SELECT b_account, cycle, circle_id, CASE WHEN ended THEN 0 ELSE -minutes END FROM pairs`,
      ],
      [
        `INSERT INTO expiry_runs (circle_id, cycle, started_at, finished_at, accounts_expired, accounts_with_credits_expired, accounts_with_debts_annulled, credits_expired_minutes, debts_annulled_minutes)
         SELECT circle_id, $1, $2, $2, 0, 0, 0, 0, 0 FROM (${circles}) AS x`,
        [ended.label, ended.endsAt],
      ],
      [endedRuns(CYCLE_JOBS.barter)],
      [`DROP TABLE pairs`],
    ]),
    // The tool library: tools hosted by members, and caretaker volunteers for the next duo.
    inSchema("tools", [
      [knownCircles, [at]],
      [
        `INSERT INTO members (circle_id, member_id, first_seen_at) SELECT circle_id, member_id, $1 FROM (${members}) AS x`,
        [at],
      ],
      [
        `INSERT INTO tools (id, circle_id, name, category, condition, host_member_id, holder_member_id, added_at, updated_at)
         SELECT pg_temp.uid('tool' || n), circle_id, 'Tool ' || k, 'garden', 'GOOD', member_id, member_id, $1, $1 FROM (${members}) AS x WHERE k <= ${TOOLS_PER_CIRCLE}`,
        [at],
      ],
      [
        `INSERT INTO caretaker_volunteers (circle_id, member_id, volunteered_at) SELECT circle_id, member_id, $1 FROM (${members}) AS x WHERE k > ${M - VOLUNTEERS_PER_CIRCLE}`,
        [current.startsAt],
      ],
      [endedRuns(CYCLE_JOBS.tools)],
    ]),
    // Governance: a steward team per circle with its seats, and a pact adopted in the ended cycle that lapses at this new moon.
    inSchema("governance", [
      [`INSERT INTO circles (circle_id, founded_at) SELECT circle_id, $1 FROM (${circles}) AS x`, [at]],
      [knownCircles, [at]],
      [
        `INSERT INTO bodies (id, circle_id, name, kind, decision_rule, size, quorum_percent, created_by, created_at)
         SELECT pg_temp.uid('body' || c), circle_id, 'Stewards', 'STEWARD_TEAM', 'CONSENT', ${SEATS_PER_BODY}, 50, pg_temp.uid('m' || ((c - 1) * ${M} + 1)), $1 FROM (${circles}) AS x`,
        [at],
      ],
      [
        `INSERT INTO seats (body_id, circle_id, member_id, kind, taken_at)
         SELECT pg_temp.uid('body' || c), circle_id, member_id, CASE WHEN k % 5 = 0 THEN 'ADVANTAGED' ELSE 'EDGE' END, $1 FROM (${members}) AS x WHERE k <= ${SEATS_PER_BODY}`,
        [at],
      ],
      [
        `INSERT INTO proposals (id, circle_id, body_id, title, text, kind, status, outcome, closes_at, created_by, created_at, closed_at)
         SELECT pg_temp.uid('proposal' || c), circle_id, pg_temp.uid('body' || c), 'Tool shed hours', 'Open the shed on Sundays for a cycle.', 'ORDINARY', 'CLOSED', 'PASSED', $2, pg_temp.uid('m' || ((c - 1) * ${M} + 1)), $1, $2 FROM (${circles}) AS x`,
        [at, new Date(at.getTime() + 3 * 86_400_000)],
      ],
      [
        `INSERT INTO pacts (id, circle_id, body_id, proposal_id, title, status, sunset_at, adopted_at, reminded_at)
         SELECT pg_temp.uid('pact' || c), circle_id, pg_temp.uid('body' || c), pg_temp.uid('proposal' || c), 'Tool shed hours', 'ACTIVE', $2, $1, $1 FROM (${circles}) AS x`,
        [new Date(at.getTime() + 3 * 86_400_000), current.endsAt],
      ],
      [endedRuns(CYCLE_JOBS.governance)],
    ]),
    // Sovereignty: the cycle's exchanges counted by hand, its figures closed at the new moon.
    inSchema("sovereignty", [
      [knownCircles, [at]],
      [
        `INSERT INTO sovereignty_events (id, circle_id, cycle, kind, count, minutes, source, recorded_by, idempotency_key, recorded_at)
         SELECT pg_temp.uid('event' || c), circle_id, $1, 'EXCHANGE', ${Math.floor(M / 2)}, ${Math.floor(M / 2) * 60}, 'HAND', pg_temp.uid('m' || ((c - 1) * ${M} + 1)), pg_temp.uid('event' || c), $2 FROM (${circles}) AS x`,
        [current.label, current.startsAt],
      ],
      [
        `INSERT INTO active_members (circle_id, cycle, kind, member_id) SELECT circle_id, $1, 'EXCHANGE', member_id FROM (${members}) AS x WHERE k < ${M} OR k % 2 = 0`,
        [current.label],
      ],
      [endedRuns(CYCLE_JOBS.sovereignty)],
    ]),
    inSchema("defense", [[knownCircles, [at]]]),
  ]);
  return seconds;
}

interface HomeViews {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  failures: number;
  firstFailure?: string;
  /** CPU milliseconds per home view of each process of the hub, of Postgres (every backend) and of the machine. */
  cpuMsPerView: Record<string, number>;
  /** The same less what each process spends with no request at all (sweeps, polls), measured apart. */
  cpuMsPerViewLessIdle?: Record<string, number>;
}

/**
 * Members drawn at random from the whole city open the app's home screen through the gateway, each
 * request with the member's own token signed for it, on `connections` connections, until `until`
 * resolves. A home view is both of the screen's requests: the second needs the first's answer.
 */
async function homeViews(
  gatewayUrl: string,
  tokenSecret: string,
  clockNow: () => Date,
  until: Promise<unknown>,
  pids: Record<string, number | undefined> = {},
  idleMsPerSecond?: Record<string, number>,
): Promise<HomeViews> {
  const client = loadClient(settings.connections);
  const N = settings.circles * settings.membersPerCircle;
  const durationsMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let isDone = false;
  void until.finally(() => (isDone = true));
  const startedAtMs = performance.now();
  const cpuPerView = cpuMeter(pids);
  const one = async () => {
    const n = 1 + Math.floor(Math.random() * N);
    const c = Math.floor((n - 1) / settings.membersPerCircle) + 1;
    const circleId = uuidOf(`c${c}`);
    const memberId = uuidOf(`m${n}`);
    const { token } = await signPersonToken(tokenSecret, uuidOf(`p${n}`), [{ circleId, memberId, roles: ["member"] }], {
      now: clockNow(),
      ttlSeconds: TOKEN_TTL_SECONDS,
    });
    const headers = { authorization: `Bearer ${token}` };
    const sentAtMs = performance.now();
    const home = await client.send(gatewayUrl, HOME_BODY, headers);
    const here = home.body.data?.me?.memberships?.find((m: { id: string }) => m.id === memberId);
    if (!here?.balance?.cycleEndsAt || here.unreadToolNotifications == null || home.body.errors)
      throw new Error(`Home: ${JSON.stringify(home.body.errors ?? home.body.data)}`);
    durationsMs.push(performance.now() - sentAtMs);
  };
  await Promise.all(
    Array.from({ length: settings.connections }, async () => {
      while (!isDone) {
        try {
          await one();
        } catch (error) {
          failures++;
          firstFailure ??= String(error).slice(0, 500);
        }
      }
    }),
  );
  client.close();
  const cpuMsPerView = cpuPerView(durationsMs.length);
  const seconds = (performance.now() - startedAtMs) / 1000;
  const cpuMsPerViewLessIdle =
    idleMsPerSecond &&
    Object.fromEntries(
      Object.entries(cpuMsPerView).map(([name, ms]) => [
        name,
        Number((ms - ((idleMsPerSecond[name] ?? 0) * seconds) / Math.max(1, durationsMs.length)).toFixed(2)),
      ]),
    );
  durationsMs.sort((a, b) => a - b);
  const at = (q: number) =>
    durationsMs.length === 0
      ? NaN
      : Number(durationsMs[Math.min(durationsMs.length - 1, Math.floor(q * durationsMs.length))].toFixed(1));
  return {
    count: durationsMs.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    perSecond: Number((durationsMs.length / seconds).toFixed(1)),
    failures,
    firstFailure,
    cpuMsPerView,
    cpuMsPerViewLessIdle,
  };
}

/** The postmaster's process id, from the postmaster.pid file somewhere under the stack's data folder. */
async function postgresPid(dataDir: string): Promise<number | undefined> {
  for (const entry of await readdir(dataDir, { recursive: true }).catch(() => [] as string[])) {
    if (path.basename(entry) !== "postmaster.pid") continue;
    const pid = Number((await readFile(path.join(dataDir, entry), "utf8")).split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0) return pid;
  }
  return undefined;
}

interface RunCount {
  service: string;
  purpose: string;
  expected: number;
  finished: number;
  started: number;
  /** Seconds from the boundary jobs' promotion until every circle's run had finished. */
  doneAfterSeconds?: number;
}

/** The run records each service keeps, one per purpose, circle and cycle: finished and merely started. */
async function countRuns(databaseUrl: string, cycle: string): Promise<RunCount[]> {
  const counts: RunCount[] = [];
  for (const [service, purposes] of Object.entries(CYCLE_JOBS)) {
    const rows = await withClient(
      databaseUrl,
      service,
      async (db) =>
        (
          await db.query(
            `SELECT purpose, count(*) FILTER (WHERE finished_at IS NOT NULL)::int AS finished, count(*)::int AS started
           FROM cycle_runs WHERE cycle = $1 GROUP BY purpose`,
            [cycle],
          )
        ).rows as Array<{ purpose: string; finished: number; started: number }>,
    );
    for (const purpose of purposes) {
      const row = rows.find((r) => r.purpose === purpose);
      counts.push({
        service,
        purpose,
        expected: settings.circles,
        finished: row?.finished ?? 0,
        started: row?.started ?? 0,
      });
    }
  }
  return counts;
}

/** What else a new moon must leave behind, counted in each service's own records. */
async function countOutcomes(databaseUrl: string, ended: string) {
  const one = async (schema: string, sql: string, params: unknown[]) =>
    withClient(databaseUrl, schema, async (db) => Number((await db.query(sql, params)).rows[0].count));
  return {
    expiryRunsFinished: await one(
      "barter",
      `SELECT count(*) FROM expiry_runs WHERE cycle = $1 AND finished_at IS NOT NULL`,
      [ended],
    ),
    pactsLapsed: await one("governance", `SELECT count(*) FROM pacts WHERE status = 'LAPSED'`, []),
    caretakerDraws: await one("tools", `SELECT count(*) FROM caretaker_draws WHERE cycle > $1`, [ended]),
    cycleScores: await one("sovereignty", `SELECT count(*) FROM cycle_scores WHERE cycle = $1`, [ended]),
  };
}

const round1 = (value: number) => Number(value.toFixed(1));

export async function runBenchmark(): Promise<void> {
  const members = settings.circles * settings.membersPerCircle;
  console.log(
    `City benchmark: ${settings.circles} circles of ${settings.membersPerCircle} members (${members} members); ` +
      `home views on ${settings.connections} connections; ${os.cpus().length} cores, shared by the hub, Postgres, Redis and this load generator; load average ${os.loadavg().map(round1).join(", ")}.`,
  );
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  const folder = await mkdtemp(path.join(os.tmpdir(), "rhizome-bench-city-"));
  const clockFile = path.join(folder, "clock");
  let clock = new Date();
  const setClock = async (instant: Date) => {
    clock = instant;
    await writeFile(`${clockFile}.next`, instant.toISOString());
    await rename(`${clockFile}.next`, clockFile);
  };
  // The hub's clock stands where the benchmark puts it; tokens are signed at that instant.
  const clockNow = () => clock;
  try {
    const current = cycleContaining(clock);
    const ended = precedingCycle(current);
    await setClock(clock);
    stack = await startLocalStack({ ephemeral: true, output: "tail" });
    const tokenSecret = randomTokenSecret();
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret,
      // Test mode: production refuses an injected clock. Logs at warn, as a busy hub would run.
      nodeEnv: "test",
      logLevel: "warn",
      readyTimeoutMs: 300_000,
      // As `npm start` runs them: every service in one process, unless SERVICES_IN_ONE_PROCESS=false.
      servicesInOneProcess: process.env.SERVICES_IN_ONE_PROCESS !== "false",
      ...profilingFlags(),
      env: {
        ...benchEnvironment(),
        CLOCK_FILE: clockFile,
        ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
        SUBGRAPH_TIMEOUT_MS: "30000",
        DEADLINE_SWEEP_INTERVAL_MS: "5000",
      },
    });
    const gatewayUrl = hub.gatewayUrl!;

    const seeding = await timed(() => seed(stack!.databaseUrl, ended, current));
    console.log(
      `Seeded ${members} members in ${round1(seeding.seconds)} s (per service, in parallel: ${JSON.stringify(seeding.result)}).`,
    );

    const pids: Record<string, number | undefined> = {
      ...Object.fromEntries(hub.processes.map((p) => [p.name, p.pid])),
      postgres: await postgresPid(stack.dataDir),
    };
    // What each process spends with nobody reading, then a warm-up, then members read their home view.
    const idleCpu = cpuMeter(pids);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idleMsPerSecond = idleCpu(IDLE_SECONDS);
    await homeViews(gatewayUrl, tokenSecret, clockNow, new Promise((resolve) => setTimeout(resolve, 3_000)));
    const before = await homeViews(
      gatewayUrl,
      tokenSecret,
      clockNow,
      new Promise((resolve) => setTimeout(resolve, settings.homeViewSeconds * 1000)),
      pids,
      idleMsPerSecond,
    );
    console.log(
      `Home view before the new moon: ${before.count} views, p50 ${before.p50} ms, p95 ${before.p95} ms, p99 ${before.p99} ms, ${before.perSecond}/s, ${before.failures} failed${before.firstFailure ? ` (first: ${before.firstFailure})` : ""}.`,
    );
    console.log(`CPU ms per home view, by process: ${JSON.stringify(before.cpuMsPerView)}`);
    console.log(
      `The same less each process's CPU with nobody reading (${JSON.stringify(idleMsPerSecond)} ms/s): ${JSON.stringify(before.cpuMsPerViewLessIdle)}`,
    );

    // The new moon: the hub's clock passes the end of the cycle and each service's boundary job runs,
    // as BullMQ runs it when its delay is up; the services fan out to every circle they know.
    for (const process of hub.processes) await resetPeakMemory(process.pid!);
    const redis = connectRedis(stack.redisUrl);
    const queues = Object.keys(CYCLE_JOBS).map((service) => createQueue(cycleJobsQueueName(service), redis));
    let newMoon: { seconds: number; result: RunCount[] };
    let during: HomeViews;
    let outcomes: Awaited<ReturnType<typeof countOutcomes>>;
    let cpuMsPerCircle: Record<string, number>;
    try {
      await setClock(new Date(current.endsAt.getTime() + 60_000));
      const boundaries: Array<{ promote(): Promise<void> }> = [];
      for (const [i, purposes] of Object.values(CYCLE_JOBS).entries()) {
        for (const purpose of purposes) {
          const boundary = await queues[i].getJob(boundaryJobId(purpose, current.label));
          if (!boundary) throw new Error(`the ${purpose} boundary of ${current.label} is not scheduled`);
          boundaries.push(boundary);
        }
      }
      const deadlineMs = performance.now() + settings.newMoonTimeoutSeconds * 1000;
      const doneAfter: Record<string, number> = {};
      // CPU per circle of each process over the whole new moon (home views included): on a shared
      // machine, the figure that says what the work costs rather than what was left of the cores.
      const newMoonCpu = cpuMeter(pids);
      const work = timed(async () => {
        const promotedAtMs = performance.now();
        for (const boundary of boundaries) await boundary.promote();
        for (;;) {
          const counts = await countRuns(stack!.databaseUrl, current.label);
          for (const c of counts)
            if (c.finished >= c.expected) doneAfter[c.purpose] ??= round1((performance.now() - promotedAtMs) / 1000);
          const pacts = await withClient(stack!.databaseUrl, "governance", async (db) =>
            Number((await db.query(`SELECT count(*) FROM pacts WHERE status = 'LAPSED'`)).rows[0].count),
          );
          if (counts.every((c) => c.finished >= c.expected) && pacts >= settings.circles) return counts;
          if (performance.now() > deadlineMs) return counts;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      });
      [newMoon, during] = await Promise.all([work, homeViews(gatewayUrl, tokenSecret, clockNow, work, pids)]);
      cpuMsPerCircle = newMoonCpu(settings.circles);
      // Anything still to come would show as a second run: wait a watchdog's worth, then count again.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      newMoon.result = (await countRuns(stack.databaseUrl, current.label)).map((c) => ({
        ...c,
        doneAfterSeconds: doneAfter[c.purpose],
      }));
      outcomes = await countOutcomes(stack.databaseUrl, current.label);
    } finally {
      for (const queue of queues) await queue.close();
      redis.disconnect();
    }
    const peaks = Object.fromEntries(
      await Promise.all(
        hub.processes.map(async (p) => [p.name, round1((await peakMemoryMiB(p.pid!)) ?? NaN)] as const),
      ),
    );
    const isComplete = newMoon.result.every((c) => c.finished === c.expected && c.started === c.expected);
    console.log(
      `New moon over ${settings.circles} circles: ${round1(newMoon.seconds)} s${isComplete ? "" : " (INCOMPLETE)"}.`,
    );
    console.log(
      `Home view during the new moon: ${during.count} views, p50 ${during.p50} ms, p95 ${during.p95} ms, p99 ${during.p99} ms, ${during.perSecond}/s, ${during.failures} failed${during.firstFailure ? ` (first: ${during.firstFailure})` : ""}.`,
    );
    console.log("");
    console.log("| service | cycle job | expected runs | finished | run records | every circle done after, s |");
    console.log("|---|---|---|---|---|---|");
    for (const c of newMoon.result)
      console.log(
        `| ${c.service} | ${c.purpose} | ${c.expected} | ${c.finished} | ${c.started} | ${c.doneAfterSeconds ?? "not done"} |`,
      );
    console.log(
      `Expiry runs finished ${outcomes.expiryRunsFinished}, pacts lapsed ${outcomes.pactsLapsed}, caretaker draws ${outcomes.caretakerDraws}, ` +
        `closed figures ${outcomes.cycleScores} (each expected ${settings.circles}).`,
    );
    console.log(`Peak memory (RSS) during the new moon, MiB: ${JSON.stringify(peaks)}`);
    console.log(`CPU ms per circle over the new moon, by process: ${JSON.stringify(cpuMsPerCircle)}`);
    console.log(`Load average (1, 5, 15 min) at the end: ${os.loadavg().map(round1).join(", ")}`);
    console.log("");
    console.log(`| measured | figure | goal |`);
    console.log(`|---|---|---|`);
    console.log(`| members | ${members} | 1,000,000 |`);
    console.log(`| seeding, s | ${round1(seeding.seconds)} | a few minutes |`);
    console.log(`| home view p95, ms | ${before.p95} | < 100 |`);
    console.log(`| new moon, s | ${round1(newMoon.seconds)} | < 600 |`);
    console.log(`| home view p95 during the new moon, ms | ${during.p95} | < 250 |`);
    console.log(
      `Reproduce: ${REPRODUCE} (BENCH_CIRCLES, BENCH_MEMBERS_PER_CIRCLE, BENCH_CONNECTIONS, BENCH_SECONDS). ` +
        `The load generator shares the machine's ${os.cpus().length} cores with the hub, Postgres and Redis.`,
    );
    await mkdir("bench-results", { recursive: true });
    const file = path.join("bench-results", `city-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    await writeFile(
      file,
      JSON.stringify(
        {
          benchmark: "city",
          reproduce: REPRODUCE,
          note: "the load generator shares the machine's cores with the hub, Postgres and Redis",
          cores: os.cpus().length,
          loadAverage: os.loadavg().map(round1),
          settings,
          members,
          seedingSeconds: round1(seeding.seconds),
          homeViewP95Ms: before.p95,
          homeView: before,
          newMoonSeconds: round1(newMoon.seconds),
          newMoonComplete: isComplete,
          newMoonCpuMsPerCircle: cpuMsPerCircle,
          homeViewP95DuringNewMoonMs: during.p95,
          homeViewDuringNewMoon: during,
          runs: newMoon.result,
          outcomes,
          peakMemoryMiB: peaks,
        },
        null,
        2,
      ),
    );
    console.log(`Wrote ${file}.`);
    if (!isComplete || before.failures > 0 || during.failures > 0)
      throw new Error("The new moon left runs undone or ran some twice, or home views failed: see above.");
  } finally {
    await hub?.stop();
    await stack?.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
