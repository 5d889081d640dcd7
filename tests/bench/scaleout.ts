import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  boundaryJobId,
  connectRedis,
  createQueue,
  cycleContaining,
  cycleJobsQueueName,
  signPersonToken,
} from "@rhizome/kit";
import { dataOrThrow, graphql } from "@rhizome/kit/testing";
import { randomTokenSecret, startLocalStack, startScaledHub, type LocalStack, type ScaledHub } from "@rhizome/infra";
import { latencies, timed, waitFor, type Latencies } from "./measure.js";

const settings = {
  /** Confirmations per path and round. */
  confirmations: Number(process.env.BENCH_CONFIRMATIONS ?? 600),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  members: Number(process.env.BENCH_MEMBERS ?? 400),
  /** Circles whose credits one new moon expires, each with this many accounts holding a balance. */
  expiryCircles: Number(process.env.BENCH_EXPIRY_CIRCLES ?? 300),
  accountsPerCircle: Number(process.env.BENCH_ACCOUNTS_PER_CIRCLE ?? 20),
  /** Each round starts a hub of 1 API + 1 worker process and one of 2 + 2, in turn. */
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
};
const REPRODUCE = "npm run bench -- scaleout";
const TOKEN_TTL_SECONDS = 60 * 60;
const WAIT_TIMEOUT_MS = 10 * 60_000;
const CONFIRM = `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;

interface Member {
  memberId: string;
  token: string;
}

function connect(databaseUrl: string, schema: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
}

async function withClient<T>(databaseUrl: string, schema: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = connect(databaseUrl, schema);
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** One circle founded through the gateway; its other members added as joinCircle records them (the founder's hash copied: argon2 would dominate). */
async function seedMembers(
  hub: ScaledHub,
  databaseUrl: string,
  tokenSecret: string,
): Promise<{ circleId: string; members: Member[] }> {
  const founded = dataOrThrow(
    await graphql(
      hub.gatewayUrl,
      `
        mutation ($input: CreateCircleInput!) {
          createCircle(input: $input) {
            circle {
              id
            }
            member {
              id
            }
          }
        }
      `,
      {
        input: {
          name: "Scale-out Commons",
          slug: `scale-${Date.now().toString(36)}`,
          founderHandle: "founder",
          passphrase: "benchmark passphrase",
        },
      },
    ),
    "createCircle",
  ).createCircle;
  const circleId: string = founded.circle.id;
  const rows = await withClient(databaseUrl, "network", async (db) => {
    await db.query("BEGIN");
    const inserted = (
      await db.query(
        `WITH people AS (INSERT INTO persons (id) SELECT gen_random_uuid() FROM generate_series(1, $2) RETURNING id),
              numbered AS (SELECT id, row_number() OVER () AS n FROM people)
         INSERT INTO members (circle_id, person_id, handle, passphrase_hash, bloc, roles)
         SELECT $1, id, 'member' || lpad(n::text, 6, '0'), (SELECT passphrase_hash FROM members WHERE id = $3), 'EDGE', '{member}'
         FROM numbered RETURNING id, person_id`,
        [circleId, settings.members, founded.member.id],
      )
    ).rows as Array<{ id: string; person_id: string }>;
    await db.query(
      `INSERT INTO outbox (id, topic, circle_id, payload, occurred_at)
       SELECT gen_random_uuid(), 'member.joined', circle_id, jsonb_build_object('memberId', id, 'circleId', circle_id), now()
       FROM members WHERE circle_id = $1 AND id <> $2`,
      [circleId, founded.member.id],
    );
    await db.query("COMMIT");
    return inserted;
  });
  const members = await Promise.all(
    rows.map(async (row) => ({
      memberId: row.id,
      token: (
        await signPersonToken(tokenSecret, row.person_id, [{ circleId, memberId: row.id, roles: ["member"] }], {
          now: new Date(),
          ttlSeconds: TOKEN_TTL_SECONDS,
        })
      ).token,
    })),
  );
  await waitFor(
    "barter to open every account from member.joined events",
    () =>
      withClient(
        databaseUrl,
        "barter",
        async (db) =>
          Number(
            (await db.query(`SELECT count(*) FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER'`, [circleId]))
              .rows[0].count,
          ) >= settings.members,
      ),
    WAIT_TIMEOUT_MS,
    250,
  );
  return { circleId, members };
}

/** Pending exchanges between neighbours, proposed by the provider, for the receiver to confirm. */
async function propose(
  databaseUrl: string,
  circleId: string,
  members: Member[],
  count: number,
  offset: number,
  cycle: string,
) {
  const pairs = Array.from(
    { length: count },
    (_, i) => [members[(2 * (i + offset)) % members.length], members[(2 * (i + offset) + 1) % members.length]] as const,
  );
  const ids = await withClient(databaseUrl, "barter", async (db) =>
    (
      await db.query(
        `INSERT INTO exchanges (circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, proposed_at, proposed_cycle)
         SELECT $1, p, r, p, 15, 'gardening', '', 'PENDING', now(), $4 FROM unnest($2::uuid[], $3::uuid[]) AS t(p, r) RETURNING id`,
        [circleId, pairs.map(([p]) => p.memberId), pairs.map(([, r]) => r.memberId), cycle],
      )
    ).rows.map((row: { id: string }) => row.id),
  );
  return ids.map((exchangeId, i) => ({ exchangeId, confirmer: pairs[i][1] }));
}

async function confirmAll(urls: string[], work: Array<{ exchangeId: string; confirmer: Member }>): Promise<Latencies> {
  return latencies(work.length, settings.concurrency, async (i) => {
    const { exchangeId, confirmer } = work[i];
    const response = await graphql(
      urls[i % urls.length],
      CONFIRM,
      { id: exchangeId },
      { authorization: `Bearer ${confirmer.token}` },
    );
    if (response.body.data?.confirmExchange?.status !== "CONFIRMED")
      throw new Error(JSON.stringify(response.body.errors));
  });
}

/** Barter-only circles, each with accounts holding a balance in `cycle`, as barter writes them. */
async function seedExpiryCircles(databaseUrl: string, cycle: string, at: Date): Promise<void> {
  await withClient(databaseUrl, "barter", async (db) => {
    await db.query("BEGIN");
    await db.query(
      `CREATE TEMP TABLE circles ON COMMIT DROP AS SELECT gen_random_uuid() AS circle_id FROM generate_series(1, $1)`,
      [settings.expiryCircles],
    );
    await db.query(
      `INSERT INTO circle_settings (circle_id, floor_minutes, ceiling_minutes, first_seen_at) SELECT circle_id, -600, 1200, $1 FROM circles`,
      [at],
    );
    await db.query(`INSERT INTO known_circles (circle_id, first_seen_at) SELECT circle_id, $1 FROM circles`, [at]);
    await db.query(
      `INSERT INTO accounts (circle_id, kind, member_id, opened_at) SELECT circle_id, 'COMMONS', NULL, $1 FROM circles`,
      [at],
    );
    await db.query(
      `INSERT INTO accounts (circle_id, kind, member_id, opened_at) SELECT circle_id, 'MEMBER', gen_random_uuid(), $1 FROM circles, generate_series(1, $2)`,
      [at, settings.accountsPerCircle],
    );
    await db.query(
      `CREATE TEMP TABLE pairs ON COMMIT DROP AS
       SELECT circle_id, provider_account, provider_member, receiver_account, receiver_member,
              gen_random_uuid() AS exchange_id, gen_random_uuid() AS transfer_id, (30 + (n % 8) * 15)::integer AS minutes
       FROM (SELECT circle_id, id AS provider_account, member_id AS provider_member, lead(id) OVER w AS receiver_account,
                    lead(member_id) OVER w AS receiver_member, row_number() OVER w AS n
             FROM accounts WHERE kind = 'MEMBER' AND circle_id IN (SELECT circle_id FROM circles) WINDOW w AS (PARTITION BY circle_id ORDER BY id)) AS numbered
       WHERE n % 2 = 1 AND receiver_account IS NOT NULL`,
    );
    await db.query(
      `INSERT INTO exchanges (id, circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, proposed_at, proposed_cycle, decided_at)
       SELECT exchange_id, circle_id, provider_member, receiver_member, provider_member, minutes, 'repair', '', 'CONFIRMED', $2, $1, $2 FROM pairs`,
      [cycle, at],
    );
    await db.query(
      `INSERT INTO transfers (id, circle_id, kind, cycle, exchange_id, recorded_at) SELECT transfer_id, circle_id, 'EXCHANGE', $1, exchange_id, $2 FROM pairs`,
      [cycle, at],
    );
    await db.query(
      `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
       SELECT transfer_id, provider_account, minutes, $1 FROM pairs UNION ALL SELECT transfer_id, receiver_account, -minutes, $1 FROM pairs`,
      [cycle],
    );
    await db.query(
      `INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes)
       SELECT provider_account, $1, circle_id, minutes FROM pairs UNION ALL SELECT receiver_account, $1, circle_id, -minutes FROM pairs`,
      [cycle],
    );
    await db.query("COMMIT");
  });
}

interface RoundResult {
  processes: number;
  barterOneApi: Latencies;
  barterEveryApi: Latencies;
  gateway: Latencies;
  expirySeconds: number;
  circlesPerSecond: number;
}

async function runRound(processes: number): Promise<RoundResult> {
  let stack: LocalStack | undefined;
  let hub: ScaledHub | undefined;
  const folder = await mkdtemp(path.join(os.tmpdir(), "rhizome-bench-scaleout-"));
  const clockFile = path.join(folder, "clock");
  const setClock = async (instant: Date) => {
    await writeFile(`${clockFile}.next`, instant.toISOString());
    await rename(`${clockFile}.next`, clockFile);
  };
  try {
    const start = new Date();
    const cycle = cycleContaining(start);
    await setClock(start);
    stack = await startLocalStack({ ephemeral: true, output: "tail" });
    const tokenSecret = randomTokenSecret();
    hub = await startScaledHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret,
      apiProcesses: processes,
      workerProcesses: processes,
      nodeEnv: "test",
      readyTimeoutMs: 240_000,
      // A saturated machine shows as latency here, not as fields given up after the gateway's usual 5 s.
      env: {
        CLOCK_FILE: clockFile,
        RATE_LIMIT_REQUESTS_PER_MINUTE: "10000000",
        RATE_LIMIT_LOGINS_PER_MINUTE: "1000000",
        SUBGRAPH_TIMEOUT_MS: "30000",
      },
    });
    const databaseUrl = stack.databaseUrl;
    const { circleId, members } = await seedMembers(hub, databaseUrl, tokenSecret);
    const barterUrls = hub.apis.map((api) => `${api.serviceUrls.barter}/graphql`);
    let offset = 0;
    const next = async () => {
      const work = await propose(databaseUrl, circleId, members, settings.confirmations, offset, cycle.label);
      offset += settings.confirmations;
      return work;
    };
    await confirmAll(barterUrls, (await next()).slice(0, 100)); // warm-up
    const barterOneApi = await confirmAll(barterUrls.slice(0, 1), await next());
    const barterEveryApi = await confirmAll(barterUrls, await next());
    const gateway = await confirmAll([hub.gatewayUrl], await next());

    await seedExpiryCircles(databaseUrl, cycle.label, start);
    const redis = connectRedis(stack.redisUrl);
    const queue = createQueue(cycleJobsQueueName("barter"), redis);
    try {
      await setClock(new Date(cycle.endsAt.getTime() + 60 * 60 * 1000));
      const boundary = await queue.getJob(boundaryJobId("expiry", cycle.label));
      if (!boundary) throw new Error("barter's expiry boundary is not scheduled");
      const expected = settings.expiryCircles + 1;
      const expiry = await timed(async () => {
        await boundary.promote();
        await waitFor(
          `${expected} expiries`,
          () =>
            withClient(
              databaseUrl,
              "barter",
              async (db) =>
                Number(
                  (
                    await db.query(`SELECT count(*) FROM expiry_runs WHERE cycle = $1 AND finished_at IS NOT NULL`, [
                      cycle.label,
                    ])
                  ).rows[0].count,
                ) >= expected,
            ),
          WAIT_TIMEOUT_MS,
          50,
        );
      });
      return {
        processes,
        barterOneApi,
        barterEveryApi,
        gateway,
        expirySeconds: expiry.seconds,
        circlesPerSecond: expected / expiry.seconds,
      };
    } finally {
      await queue.close();
      redis.disconnect();
    }
  } finally {
    await hub?.stop();
    await stack?.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

const round1 = (value: number) => Number(value.toFixed(1));

export async function runBenchmark(): Promise<void> {
  console.log(
    `Scale-out benchmark: hubs of 1 and of 2 API + worker processes per service in turn, ${settings.rounds} rounds; ` +
      `${settings.confirmations} confirmations per path with ${settings.concurrency} clients; a new moon over ${settings.expiryCircles} circles of ${settings.accountsPerCircle} accounts. ` +
      `${os.cpus().length} cores, shared with whatever else runs on this machine.`,
  );
  const results: RoundResult[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    for (const processes of [1, 2]) {
      const result = await runRound(processes);
      results.push(result);
      console.log(
        `round ${r + 1}, ${processes} + ${processes} processes: barter via one API ${result.barterOneApi.perSecond}/s, via every API ${result.barterEveryApi.perSecond}/s, ` +
          `via the gateway ${result.gateway.perSecond}/s; expiry ${round1(result.circlesPerSecond)} circles/s`,
      );
    }
  }
  const mean = (processes: number, pick: (r: RoundResult) => number) => {
    const picked = results.filter((r) => r.processes === processes).map(pick);
    return picked.reduce((sum, v) => sum + v, 0) / picked.length;
  };
  const rows = [
    {
      what: "confirmations/s, barter subgraph, requests spread over every API process",
      pick: (r: RoundResult) => r.barterEveryApi.perSecond,
    },
    {
      what: "confirmations/s, barter subgraph, all to one API process",
      pick: (r: RoundResult) => r.barterOneApi.perSecond,
    },
    { what: "confirmations/s through the gateway", pick: (r: RoundResult) => r.gateway.perSecond },
    {
      what: `circles expired/s at a new moon (${settings.accountsPerCircle} accounts each)`,
      pick: (r: RoundResult) => r.circlesPerSecond,
    },
  ];
  const table = rows.map(({ what, pick }) => ({
    what,
    oneEach: round1(mean(1, pick)),
    twoEach: round1(mean(2, pick)),
    ratio: Number((mean(2, pick) / mean(1, pick)).toFixed(2)),
  }));
  console.log("");
  console.log("| measured | 1 API + 1 worker | 2 API + 2 workers | ratio |");
  console.log("|---|---|---|---|");
  for (const row of table) console.log(`| ${row.what} | ${row.oneEach} | ${row.twoEach} | ${row.ratio} |`);
  const p99 = (processes: number) => round1(mean(processes, (r) => r.barterEveryApi.p99));
  console.log(`p99 of a confirmation spread over every API: ${p99(1)} ms with one, ${p99(2)} ms with two.`);
  console.log(
    `Reproduce: ${REPRODUCE} (BENCH_ROUNDS, BENCH_CONFIRMATIONS, BENCH_CONCURRENCY, BENCH_EXPIRY_CIRCLES, BENCH_ACCOUNTS_PER_CIRCLE).`,
  );
  await mkdir("bench-results", { recursive: true });
  const file = path.join("bench-results", `scaleout-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(
    file,
    JSON.stringify(
      { benchmark: "scaleout", reproduce: REPRODUCE, settings, cores: os.cpus().length, table, rounds: results },
      null,
      2,
    ),
  );
  console.log(`Wrote ${file}.`);
}
