import { dataOrThrow, graphql } from "@rhizome/kit/testing";
import { loadClient } from "./load-client.js";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  type Queryable,
  connectRedis,
  createQueue,
  cycleContaining,
  DEFAULT_POOL_SIZE,
  cycleJobsQueueName,
  cycleRunJobId,
  precedingCycle,
  signPersonToken,
} from "@rhizome/kit";
import {
  availableServices,
  randomTokenSecret,
  startHub,
  startLocalStack,
  type LocalStack,
  type RunningHub,
} from "@rhizome/infra";
import { confirmInTransaction } from "@rhizome/barter/bench";
import {
  alternatingRounds,
  benchEnvironment,
  peakMemoryMiB,
  resetPeakMemory,
  throughput,
  timed,
  waitFor,
} from "./measure.js";

const settings = {
  members: Number(process.env.BENCH_MEMBERS ?? 10_000),
  /** Confirmations per path and round; paths alternate round by round. */
  confirmationsPerRound: Number(process.env.BENCH_CONFIRMATIONS ?? 1_000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  historyCycles: Number(process.env.BENCH_HISTORY_CYCLES ?? 12),
  expiryAccounts: Number(process.env.BENCH_EXPIRY_ACCOUNTS ?? 1_000_000),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  // A hub's processes reach their steady speed only after some thousands of requests (JIT).
  warmupConfirmations: Number(process.env.BENCH_WARMUP ?? 2_000),
};
const client = loadClient(settings.concurrency);
/** Exchanges each member of the history half took part in, per past cycle. */
const HISTORY_EXCHANGES_PER_CYCLE = 8;
const EXCHANGE_MINUTES = 30;
const SEED_TIMEOUT_MS = 10 * 60_000;
const EXPIRY_TIMEOUT_MS = 10 * 60_000;
const REPRODUCE = "npm run bench -- barter";
// The benchmark outlasts the hub's 60 s access tokens; it signs its own with the same secret, as network would.
const BENCH_TOKEN_TTL_SECONDS = 60 * 60;

const CONFIRM = `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;

interface SeededMember {
  memberId: string;
  personId: string;
  token: string;
}

function connect(databaseUrl: string, searchPath: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${searchPath}` });
}

/** Found one circle through the API, then add members the way joinCircle records them, in bulk. */
async function seedCircle(
  gatewayUrl: string,
  databaseUrl: string,
  tokenSecret: string,
): Promise<{ circleId: string; members: SeededMember[] }> {
  const slug = `bench-${Date.now().toString(36)}`;
  const founded = dataOrThrow(
    await graphql(
      gatewayUrl,
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
        input: { name: "Benchmark Commons", slug, founderHandle: "founder", passphrase: "benchmark passphrase" },
      },
    ),
    "createCircle",
  ).createCircle;
  const circleId: string = founded.circle.id;
  const db = connect(databaseUrl, "network");
  await db.connect();
  try {
    await db.query("BEGIN");
    // Joining one by one would spend ~40 ms of argon2 per member; the stored hash is copied instead.
    const rows = (
      await db.query(
        `WITH people AS (INSERT INTO persons (id) SELECT gen_random_uuid() FROM generate_series(1, $2) RETURNING id),
              numbered AS (SELECT id, row_number() OVER () AS n FROM people)
         INSERT INTO members (circle_id, person_id, handle, passphrase_hash, bloc, roles)
         SELECT $1, id, 'member' || lpad(n::text, 6, '0'), (SELECT passphrase_hash FROM members WHERE id = $3),
                CASE WHEN n % 3 = 0 THEN 'ADVANTAGED' ELSE 'EDGE' END, '{member}'
         FROM numbered RETURNING id, person_id`,
        [circleId, settings.members - 1, founded.member.id],
      )
    ).rows as Array<{ id: string; person_id: string }>;
    // The same event joinCircle writes, so barter opens the accounts by reading network's event log.
    await db.query(
      `INSERT INTO outbox (id, topic, circle_id, payload, occurred_at)
       SELECT gen_random_uuid(), 'member.joined', circle_id, jsonb_build_object('memberId', id, 'circleId', circle_id), now()
       FROM members WHERE circle_id = $1 AND id <> $2`,
      [circleId, founded.member.id],
    );
    await db.query("COMMIT");
    const members = await Promise.all(
      rows.map(async (row) => ({
        memberId: row.id,
        personId: row.person_id,
        token: (
          await signPersonToken(tokenSecret, row.person_id, [{ circleId, memberId: row.id, roles: ["member"] }], {
            now: new Date(),
            ttlSeconds: BENCH_TOKEN_TTL_SECONDS,
          })
        ).token,
      })),
    );
    return { circleId, members };
  } finally {
    await db.end();
  }
}

async function countAccounts(databaseUrl: string, circleId: string): Promise<number> {
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    return Number(
      (await db.query(`SELECT count(*) FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER'`, [circleId])).rows[0]
        .count,
    );
  } finally {
    await db.end();
  }
}

/** Pending exchanges between distinct pairs, proposed by the provider, for the receiver to confirm. */
async function proposeInBulk(
  databaseUrl: string,
  circleId: string,
  members: SeededMember[],
  count: number,
  offset: number,
) {
  const providers: string[] = [];
  const receivers: SeededMember[] = [];
  for (let i = 0; i < count; i++) {
    providers.push(members[(2 * (i + offset)) % members.length].memberId);
    receivers.push(members[(2 * (i + offset) + 1) % members.length]);
  }
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    const ids = (
      await db.query(
        `INSERT INTO exchanges (circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, proposed_at, proposed_cycle)
         SELECT $1, p, r, p, $4, 'gardening', '', 'PENDING', now(), $5 FROM unnest($2::uuid[], $3::uuid[]) AS t(p, r)
         RETURNING id`,
        [circleId, providers, receivers.map((r) => r.memberId), EXCHANGE_MINUTES, cycleContaining(new Date()).label],
      )
    ).rows.map((row: { id: string }) => row.id);
    return ids.map((id: string, i: number) => ({ exchangeId: id, confirmer: receivers[i] }));
  } finally {
    await db.end();
  }
}

async function confirmThroughGraphql(url: string, work: Array<{ exchangeId: string; confirmer: SeededMember }>) {
  const result = await throughput(work, settings.concurrency, async ({ exchangeId, confirmer }) => {
    const response = await client.post(
      url,
      CONFIRM,
      { id: exchangeId },
      { authorization: `Bearer ${confirmer.token}` },
    );
    if (response.body.data?.confirmExchange?.status !== "CONFIRMED")
      throw new Error(JSON.stringify(response.body.errors));
  });
  return { ...result, items: work.length };
}

/** The service's own confirmation (its bench entry), run on bare pg connections. */
async function confirmWithPgAlone(
  databaseUrl: string,
  work: Array<{ exchangeId: string; confirmer: SeededMember }>,
  connections = settings.concurrency,
) {
  const clients = Array.from({ length: connections }, () => connect(databaseUrl, "barter"));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    const result = await throughput(work, connections, async ({ exchangeId, confirmer }, worker) => {
      const client = clients[worker];
      // What TypeORM's query() returns: rows, or [rows, count] for UPDATE and DELETE.
      // eslint-disable-next-line no-restricted-syntax -- a pg client standing in for TypeORM's EntityManager: the confirmation it is passed to calls only query()
      const manager = {
        query: async (sql: string, params?: unknown[]) => {
          const result = await client.query(sql, params);
          return result.command === "UPDATE" || result.command === "DELETE"
            ? [result.rows, result.rowCount]
            : result.rows;
        },
      } as unknown as Queryable;
      await client.query("BEGIN");
      try {
        await confirmInTransaction(manager, exchangeId, confirmer.memberId, () => new Date());
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    });
    return { ...result, items: work.length };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/**
 * A barter-only circle of `accounts` members, each with a balance in `cycle` from that cycle's
 * exchanges, written as barter writes them (exchanges, transfers, entries, cycle balances).
 */
async function seedExpiryCircle(
  databaseUrl: string,
  accounts: number,
  cycle: string,
  recordedAt: Date,
): Promise<string> {
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    await db.query("BEGIN");
    const circleId: string = (await db.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
    await db.query(
      `INSERT INTO circle_settings (circle_id, floor_minutes, ceiling_minutes, first_seen_at) VALUES ($1, -600, 1200, $2)`,
      [circleId, recordedAt],
    );
    await db.query(`INSERT INTO known_circles (circle_id, first_seen_at) VALUES ($1, $2)`, [circleId, recordedAt]);
    await db.query(`INSERT INTO accounts (circle_id, kind, member_id, opened_at) VALUES ($1, 'COMMONS', NULL, $2)`, [
      circleId,
      recordedAt,
    ]);
    await db.query(
      `INSERT INTO accounts (circle_id, kind, member_id, opened_at) SELECT $1, 'MEMBER', gen_random_uuid(), $2 FROM generate_series(1, $3)`,
      [circleId, recordedAt, accounts],
    );
    // Neighbouring accounts pair up: the first of each pair gave the second 30 to 135 minutes.
    await db.query(
      `CREATE TEMP TABLE pairs ON COMMIT DROP AS
       SELECT provider_account, provider_member, receiver_account, receiver_member,
              gen_random_uuid() AS exchange_id, gen_random_uuid() AS transfer_id, (30 + (n % 8) * 15)::integer AS minutes
       FROM (SELECT id AS provider_account, member_id AS provider_member, lead(id) OVER w AS receiver_account,
                    lead(member_id) OVER w AS receiver_member, row_number() OVER w AS n
             FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER' WINDOW w AS (ORDER BY id)) AS numbered
       WHERE n % 2 = 1 AND receiver_account IS NOT NULL`,
      [circleId],
    );
    await db.query(
      `INSERT INTO exchanges (id, circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, proposed_at, proposed_cycle, decided_at)
       SELECT exchange_id, $1, provider_member, receiver_member, provider_member, minutes, 'repair', '', 'CONFIRMED', $2, $3, $2 FROM pairs`,
      [circleId, recordedAt, cycle],
    );
    await db.query(
      `INSERT INTO transfers (id, circle_id, kind, cycle, exchange_id, recorded_at) SELECT transfer_id, $1, 'EXCHANGE', $2, exchange_id, $3 FROM pairs`,
      [circleId, cycle, recordedAt],
    );
    await db.query(
      `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
       SELECT transfer_id, provider_account, minutes, $1 FROM pairs UNION ALL SELECT transfer_id, receiver_account, -minutes, $1 FROM pairs`,
      [cycle],
    );
    await db.query(
      `INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes)
       SELECT provider_account, $2, $1::uuid, minutes FROM pairs UNION ALL SELECT receiver_account, $2, $1::uuid, -minutes FROM pairs`,
      [circleId, cycle],
    );
    await db.query("COMMIT");
    await db.query(`VACUUM ANALYZE account_cycles`);
    return circleId;
  } finally {
    await db.end();
  }
}

/**
 * Gives `members` `cycles` past cycles of history, as barter would have written it: each cycle,
 * neighbouring members exchange HISTORY_EXCHANGES_PER_CYCLE times, and the new moon closes every
 * balance against the commons.
 */
async function seedHistory(
  databaseUrl: string,
  circleId: string,
  members: SeededMember[],
  cycles: string[],
): Promise<number> {
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    await db.query("BEGIN");
    await db.query(
      `CREATE TEMP TABLE history ON COMMIT DROP AS
       SELECT c.cycle, p.provider_account, p.provider_member, p.receiver_account, p.receiver_member,
              gen_random_uuid() AS exchange_id, gen_random_uuid() AS transfer_id, (15 + (k % 4) * 15)::integer AS minutes,
              to_date(c.cycle, 'YYYY-MM-DD') + interval '1 day' AS at
       FROM unnest($2::text[]) AS c(cycle)
       CROSS JOIN generate_series(1, $3) AS k
       CROSS JOIN (
         SELECT id AS provider_account, member_id AS provider_member, lead(id) OVER w AS receiver_account, lead(member_id) OVER w AS receiver_member, row_number() OVER w AS n
         FROM accounts WHERE circle_id = $1 AND member_id = ANY($4::uuid[]) WINDOW w AS (ORDER BY id)
       ) AS p
       WHERE p.n % 2 = 1 AND p.receiver_account IS NOT NULL`,
      [circleId, cycles, HISTORY_EXCHANGES_PER_CYCLE, members.map((m) => m.memberId)],
    );
    await db.query(
      `INSERT INTO exchanges (id, circle_id, provider_member_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, proposed_at, proposed_cycle, decided_at)
       SELECT exchange_id, $1, provider_member, receiver_member, provider_member, minutes, 'cooking', '', 'CONFIRMED', at, cycle, at FROM history`,
      [circleId],
    );
    await db.query(
      `INSERT INTO transfers (id, circle_id, kind, cycle, exchange_id, recorded_at) SELECT transfer_id, $1, 'EXCHANGE', cycle, exchange_id, at FROM history`,
      [circleId],
    );
    await db.query(
      `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
       SELECT transfer_id, provider_account, minutes, cycle FROM history UNION ALL SELECT transfer_id, receiver_account, -minutes, cycle FROM history`,
    );
    await db.query(
      `INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes)
       SELECT account_id, cycle, $1, sum(minutes) FROM (
         SELECT provider_account AS account_id, cycle, minutes FROM history UNION ALL SELECT receiver_account, cycle, -minutes FROM history
       ) AS moved GROUP BY account_id, cycle`,
      [circleId],
    );
    // Each past new moon closed every balance against the commons, one transfer per cycle and kind.
    const commons: string = (
      await db.query(`SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'COMMONS'`, [circleId])
    ).rows[0].id;
    await db.query(
      `CREATE TEMP TABLE closings ON COMMIT DROP AS
       SELECT c.account_id, c.cycle, c.balance_minutes, CASE WHEN c.balance_minutes > 0 THEN 'CREDITS_EXPIRED' ELSE 'DEBTS_ANNULLED' END AS kind
       FROM account_cycles c WHERE c.circle_id = $1 AND c.cycle = ANY($2::text[]) AND c.account_id <> $3 AND c.balance_minutes <> 0`,
      [circleId, cycles, commons],
    );
    await db.query(
      `CREATE TEMP TABLE closing_transfers ON COMMIT DROP AS SELECT DISTINCT cycle, kind, gen_random_uuid() AS id FROM (SELECT DISTINCT cycle, kind FROM closings) AS k`,
    );
    await db.query(
      `INSERT INTO transfers (id, circle_id, kind, cycle, recorded_at) SELECT id, $1, kind, cycle, to_date(cycle, 'YYYY-MM-DD') + interval '30 days' FROM closing_transfers`,
      [circleId],
    );
    await db.query(
      `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
       SELECT t.id, c.account_id, -c.balance_minutes, c.cycle FROM closings c JOIN closing_transfers t USING (cycle, kind)
       UNION ALL
       SELECT t.id, $1, sum(c.balance_minutes), c.cycle FROM closings c JOIN closing_transfers t USING (cycle, kind) GROUP BY t.id, c.cycle`,
      [commons],
    );
    await db.query(
      `INSERT INTO account_cycles (account_id, cycle, circle_id, balance_minutes) SELECT $1, cycle, $2, 0 FROM unnest($3::text[]) AS c(cycle)`,
      [commons, circleId, cycles],
    );
    const entries = Number(
      (
        await db.query(`SELECT count(*) FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1`, [
          circleId,
        ])
      ).rows[0].count,
    );
    await db.query("COMMIT");
    await db.query(`VACUUM ANALYZE entries`);
    return entries;
  } finally {
    await db.end();
  }
}

async function expireThroughTheQueue(
  databaseUrl: string,
  redisUrl: string,
  circleId: string,
  cycle: string,
): Promise<number> {
  const redis = connectRedis(redisUrl);
  // The kit's lunar cycle jobs run barter's expiry: one "run" job per circle and cycle.
  const queue = createQueue(cycleJobsQueueName("barter"), redis);
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    const { seconds } = await timed(async () => {
      await queue.add(
        "run",
        { purpose: "expiry", circleId, cycle },
        { jobId: cycleRunJobId("expiry", circleId, cycle) },
      );
      await waitFor(
        "the expiry run to finish",
        async () =>
          (
            await db.query(
              `SELECT 1 FROM expiry_runs WHERE circle_id = $1 AND cycle = $2 AND finished_at IS NOT NULL`,
              [circleId, cycle],
            )
          ).rowCount === 1,
        EXPIRY_TIMEOUT_MS,
        20,
      );
    });
    const [held] = (
      await db.query(
        `SELECT count(*) AS accounts, count(*) FILTER (WHERE c.balance_minutes + COALESCE(x.closed, 0) <> 0) AS still_holding
         FROM account_cycles c
         LEFT JOIN (SELECT e.account_id, sum(e.amount_minutes) AS closed FROM entries e JOIN transfers t ON t.id = e.transfer_id
                    WHERE t.circle_id = $1 AND t.cycle = $2 AND t.kind IN ('CREDITS_EXPIRED', 'DEBTS_ANNULLED') GROUP BY e.account_id) x ON x.account_id = c.account_id
         WHERE c.circle_id = $1 AND c.cycle = $2`,
        [circleId, cycle],
      )
    ).rows;
    if (Number(held.still_holding) !== 0)
      throw new Error(`${held.still_holding} of ${held.accounts} accounts still hold a balance after expiry.`);
    return seconds;
  } finally {
    await queue.close();
    redis.disconnect();
    await db.end();
  }
}

/** The plainest SQL that zeroes the same balances: one UPDATE of the cycle's balance rows, no history kept. */
async function zeroWithPlainSql(databaseUrl: string, circleId: string, cycle: string): Promise<number> {
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    return (
      await timed(() =>
        db.query(
          `UPDATE account_cycles SET balance_minutes = 0 WHERE circle_id = $1 AND cycle = $2 AND balance_minutes <> 0`,
          [circleId, cycle],
        ),
      )
    ).seconds;
  } finally {
    await db.end();
  }
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

function pastCycleLabels(count: number): string[] {
  const labels: string[] = [];
  let cycle = cycleContaining(new Date());
  for (let i = 0; i < count; i++) labels.push((cycle = precedingCycle(cycle)).label);
  return labels;
}

export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  try {
    const n = settings.confirmationsPerRound;
    console.log(
      `Barter benchmark: ${settings.members} members, ${settings.rounds} alternating rounds of ${n} confirmations per path, ${settings.concurrency} concurrent clients, ` +
        `${settings.historyCycles} cycles of history, expiry of ${settings.expiryAccounts} accounts.`,
    );
    stack = await startLocalStack({ ephemeral: true, durable: true, output: "tail" });
    const tokenSecret = randomTokenSecret();
    // BENCH_PROFILE=1 runs barter under the CPU profiler and writes its profile when the hub stops.
    const profileFile = process.env.BENCH_PROFILE
      ? path.resolve(`bench-results/barter-${Date.now()}.cpuprofile`)
      : undefined;
    // Only what the measured requests touch: network (which every gateway needs) and barter.
    const services = availableServices()
      .filter((service) => service.name === "network" || service.name === "barter")
      .map((service) =>
        profileFile && service.name === "barter" ? { ...service, entry: "tests/bench/profiled-barter.ts" } : service,
      );
    if (profileFile) await mkdir("bench-results", { recursive: true });
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret,
      nodeEnv: "production",
      logLevel: "warn",
      output: "tail",
      services,
      env: profileFile ? { ...benchEnvironment(), BENCH_PROFILE_FILE: profileFile } : benchEnvironment(),
    });
    const gatewayUrl = hub.gatewayUrl!;
    const barterUrl = `${hub.serviceUrls.barter}/graphql`;
    const barterPid = hub.processes.find((p) => p.name === "barter")?.pid;
    const databaseUrl = stack.databaseUrl;

    const seeding = await timed(() => seedCircle(gatewayUrl, databaseUrl, tokenSecret));
    const { circleId, members } = seeding.result;
    const inbox = await timed(() =>
      waitFor(
        "barter to open every account from member.joined events",
        async () => (await countAccounts(databaseUrl, circleId)) >= settings.members,
        SEED_TIMEOUT_MS,
        250,
      ),
    );
    console.log(
      `Seeded ${settings.members} members in ${round(seeding.seconds)} s; barter opened their accounts from the inbox in ${round(inbox.seconds)} s.`,
    );

    // Proposals are made in bulk ahead of each round; each pair of neighbours exchanges once per batch.
    let offset = 0;
    const proposals = async (among: SeededMember[], count: number) => {
      const made = await proposeInBulk(databaseUrl, circleId, among, count, offset);
      offset += count;
      return made;
    };
    await confirmThroughGraphql(gatewayUrl, await proposals(members, settings.warmupConfirmations));
    await confirmThroughGraphql(barterUrl, await proposals(members, settings.warmupConfirmations));
    const paths = await alternatingRounds(settings.rounds, {
      gateway: async () => confirmThroughGraphql(gatewayUrl, await proposals(members, n)),
      subgraph: async () => confirmThroughGraphql(barterUrl, await proposals(members, n)),
      pg: async () => confirmWithPgAlone(databaseUrl, await proposals(members, n)),
      // The service's own pool holds DEFAULT_POOL_SIZE connections, so at most that many confirmations are in flight in it.
      pgServicePool: async () => confirmWithPgAlone(databaseUrl, await proposals(members, n), DEFAULT_POOL_SIZE),
    });
    for (const [path, result] of Object.entries(paths))
      console.log(`Confirmed ${result.items} exchanges via ${path} in ${round(result.seconds)} s.`);

    // Half the members get years of history; the same confirmations then run among each half in turn.
    const withHistory = members.filter((_, i) => i % 2 === 0);
    const withNone = members.filter((_, i) => i % 2 === 1);
    const history = await timed(() =>
      seedHistory(databaseUrl, circleId, withHistory, pastCycleLabels(settings.historyCycles)),
    );
    console.log(
      `Gave ${withHistory.length} members ${settings.historyCycles} cycles of history (${history.result} entries in the circle) in ${round(history.seconds)} s.`,
    );
    const byHistory = await alternatingRounds(settings.rounds, {
      none: async () => confirmThroughGraphql(barterUrl, await proposals(withNone, n)),
      history: async () => confirmThroughGraphql(barterUrl, await proposals(withHistory, n)),
    });

    const cycle = precedingCycle(cycleContaining(new Date()));
    const recordedAt = new Date(cycle.startsAt.getTime() + 86_400_000);
    const seedExpiry = await timed(async () => [
      await seedExpiryCircle(databaseUrl, settings.expiryAccounts, cycle.label, recordedAt),
      await seedExpiryCircle(databaseUrl, settings.expiryAccounts, cycle.label, recordedAt),
    ]);
    const [expiredCircle, zeroedCircle] = seedExpiry.result;
    console.log(
      `Seeded two circles of ${settings.expiryAccounts} accounts with last cycle's balances in ${round(seedExpiry.seconds)} s.`,
    );
    const isPeakReset = barterPid !== undefined && (await resetPeakMemory(barterPid));
    const expirySeconds = await expireThroughTheQueue(databaseUrl, stack.redisUrl, expiredCircle, cycle.label);
    const barterPeakMiB = barterPid ? await peakMemoryMiB(barterPid) : undefined;
    const plainSqlSeconds = await zeroWithPlainSql(databaseUrl, zeroedCircle, cycle.label);

    const figures = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      settings,
      confirmedExchangesPerSecond: {
        gateway: round(paths.gateway.perSecond),
        subgraph: round(paths.subgraph.perSecond),
        pgAlone: round(paths.pg.perSecond),
        gatewayToSubgraph: round(paths.gateway.perSecond / paths.subgraph.perSecond, 2),
        subgraphToPg: round(paths.subgraph.perSecond / paths.pg.perSecond, 2),
        gatewayToPg: round(paths.gateway.perSecond / paths.pg.perSecond, 2),
        pgWithServicePoolSize: round(paths.pgServicePool.perSecond),
        servicePoolSize: DEFAULT_POOL_SIZE,
      },
      afterHistory: {
        cycles: settings.historyCycles,
        entriesInCircle: history.result,
        noHistoryPerSecond: round(byHistory.none.perSecond),
        withHistoryPerSecond: round(byHistory.history.perSecond),
        ratio: round(byHistory.history.perSecond / byHistory.none.perSecond, 2),
      },
      expiry: {
        accounts: settings.expiryAccounts,
        serviceSeconds: round(expirySeconds, 2),
        plainSqlSeconds: round(plainSqlSeconds, 2),
        ratio: round(expirySeconds / plainSqlSeconds, 2),
        accountsPerSecond: Math.round(settings.expiryAccounts / expirySeconds),
      },
      barterPeakMemoryMiB: barterPeakMiB === undefined ? null : round(barterPeakMiB),
      barterPeakMemoryIsDuringExpiry: isPeakReset,
      reproduce: REPRODUCE,
    };

    const c = figures.confirmedExchangesPerSecond;
    const h = figures.afterHistory;
    const e = figures.expiry;
    console.log(`
| confirmed exchanges/s (${settings.concurrency} clients, ${settings.rounds} alternating rounds) | per second | ratio | goal |
|---|---|---|---|
| through the gateway | ${c.gateway} | ${c.gatewayToPg} of pg alone, ${c.gatewayToSubgraph} of the subgraph | >= 0.5 of pg alone |
| straight to the barter subgraph | ${c.subgraph} | ${c.subgraphToPg} of pg alone | >= 0.7 of pg alone |
| the same SQL with the pg driver alone | ${c.pgAlone} | 1 | |
| the same, on ${c.servicePoolSize} connections (the size of the service's pool) | ${c.pgWithServicePoolSize} | ${round(c.pgWithServicePoolSize / c.pgAlone, 2)} | |

| confirmations straight to the subgraph | per second | ratio | goal |
|---|---|---|---|
| members with no history | ${h.noHistoryPerSecond} | 1 | |
| members with ${h.cycles} cycles of history (${h.entriesInCircle} entries in the circle) | ${h.withHistoryPerSecond} | ${h.ratio} | >= 0.9 |

| expiry of ${e.accounts} accounts | seconds | goal |
|---|---|---|
| barter's expiry job (history entries, batches, invariant checks, summary, event) | ${e.serviceSeconds} (${e.accountsPerSecond} accounts/s) | |
| plainest SQL zeroing the same balances | ${e.plainSqlSeconds} | |
| ratio | ${e.ratio}x | <= 1.5x |

Peak memory (VmHWM) of the barter process${isPeakReset ? " during the expiry" : " over the run"}: ${figures.barterPeakMemoryMiB ?? "unavailable"} MiB
Reproduce: ${REPRODUCE}`);
    await mkdir("bench-results", { recursive: true });
    const file = `bench-results/barter-${figures.measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Figures written to ${file}`);
  } finally {
    client.close();
    await hub?.stop();
    await stack?.stop();
  }
}
