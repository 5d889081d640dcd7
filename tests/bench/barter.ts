import { dataOrThrow, graphql } from "@rhizome/kit/testing";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import pg from "pg";
import type { EntityManager } from "typeorm";
import { connectRedis, createQueue, cycleContaining, cycleJobsQueueName, cycleRunJobId, precedingCycle, signPersonToken } from "@rhizome/kit";
import { randomTokenSecret, startHub, startLocalStack, type LocalStack, type RunningHub } from "@rhizome/infra";
import { lockExchange, postConfirmedExchange } from "@rhizome/barter/store/confirm-exchange";
import { peakMemoryMiB, throughput, timed, waitFor } from "./measure.js";

const settings = {
  members: Number(process.env.BENCH_MEMBERS ?? 10_000),
  confirmationsPerMode: Number(process.env.BENCH_CONFIRMATIONS ?? 3_000),
  expiryAccounts: Number(process.env.BENCH_EXPIRY_ACCOUNTS ?? 100_000),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
};
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
async function seedCircle(gatewayUrl: string, databaseUrl: string, tokenSecret: string): Promise<{ circleId: string; members: SeededMember[] }> {
  const slug = `bench-${Date.now().toString(36)}`;
  const founded = dataOrThrow(
    await graphql(gatewayUrl, `mutation ($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } member { id } } }`, {
      input: { name: "Benchmark Commons", slug, founderHandle: "founder", passphrase: "benchmark passphrase" },
    }),
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
        token: (await signPersonToken(tokenSecret, row.person_id, [{ circleId, memberId: row.id, roles: ["member"] }], { now: new Date(), ttlSeconds: BENCH_TOKEN_TTL_SECONDS })).token,
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
    return Number((await db.query(`SELECT count(*) FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER'`, [circleId])).rows[0].count);
  } finally {
    await db.end();
  }
}

/** Pending exchanges between distinct pairs, proposed by the provider, for the receiver to confirm. */
async function proposeInBulk(databaseUrl: string, circleId: string, members: SeededMember[], count: number, offset: number) {
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
  return throughput(work, settings.concurrency, async ({ exchangeId, confirmer }) => {
    const response = await graphql(url, CONFIRM, { id: exchangeId }, { authorization: `Bearer ${confirmer.token}` });
    if (response.body.data?.confirmExchange?.status !== "CONFIRMED") throw new Error(JSON.stringify(response.body.errors));
  });
}

/** The service's own confirmation SQL (store/confirm-exchange.ts), run on bare pg connections. */
async function confirmWithPgAlone(databaseUrl: string, work: Array<{ exchangeId: string; confirmer: SeededMember }>) {
  const clients = Array.from({ length: settings.concurrency }, () => connect(databaseUrl, "barter"));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    return await throughput(work, settings.concurrency, async ({ exchangeId, confirmer }, worker) => {
      const client = clients[worker];
      const manager = { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows } as unknown as EntityManager;
      await client.query("BEGIN");
      try {
        const exchange = await lockExchange(manager, exchangeId);
        if (!exchange || exchange.status !== "PENDING") throw new Error(`Exchange ${exchangeId} is not pending.`);
        await postConfirmedExchange(manager, exchange, confirmer.memberId, () => new Date());
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    });
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** A barter-only circle of `accounts` members, each with a balance from last cycle's exchanges. */
async function seedExpiryCircle(databaseUrl: string, accounts: number, cycle: string, recordedAt: Date): Promise<string> {
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    await db.query("BEGIN");
    const circleId: string = (await db.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
    await db.query(`INSERT INTO circle_settings (circle_id, floor_minutes, ceiling_minutes, first_seen_at) VALUES ($1, -600, 1200, $2)`, [circleId, recordedAt]);
    await db.query(`INSERT INTO known_circles (circle_id, first_seen_at) VALUES ($1, $2)`, [circleId, recordedAt]);
    await db.query(`INSERT INTO accounts (circle_id, kind, member_id, balance_minutes, opened_at) VALUES ($1, 'COMMONS', NULL, 0, $2)`, [circleId, recordedAt]);
    await db.query(
      `INSERT INTO accounts (circle_id, kind, member_id, balance_minutes, opened_at) SELECT $1, 'MEMBER', gen_random_uuid(), 0, $2 FROM generate_series(1, $3)`,
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
    await db.query(`INSERT INTO transfers (id, circle_id, kind, cycle, exchange_id, recorded_at) SELECT transfer_id, $1, 'EXCHANGE', $2, exchange_id, $3 FROM pairs`, [
      circleId,
      cycle,
      recordedAt,
    ]);
    await db.query(
      `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle)
       SELECT transfer_id, provider_account, minutes, $1 FROM pairs UNION ALL SELECT transfer_id, receiver_account, -minutes, $1 FROM pairs`,
      [cycle],
    );
    await db.query(`UPDATE accounts a SET balance_minutes = p.minutes FROM pairs p WHERE a.id = p.provider_account`);
    await db.query(`UPDATE accounts a SET balance_minutes = -p.minutes FROM pairs p WHERE a.id = p.receiver_account`);
    await db.query("COMMIT");
    return circleId;
  } finally {
    await db.end();
  }
}

async function expireThroughTheQueue(databaseUrl: string, redisUrl: string, circleId: string, cycle: string): Promise<number> {
  const redis = connectRedis(redisUrl);
  // The kit's lunar cycle jobs run barter's expiry: one "run" job per circle and cycle.
  const queue = createQueue(cycleJobsQueueName("barter"), redis);
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    const { seconds } = await timed(async () => {
      await queue.add("run", { purpose: "expiry", circleId, cycle }, { jobId: cycleRunJobId("expiry", circleId, cycle) });
      await waitFor(
        "the expiry run to finish",
        async () => (await db.query(`SELECT 1 FROM expiry_runs WHERE circle_id = $1 AND cycle = $2 AND finished_at IS NOT NULL`, [circleId, cycle])).rowCount === 1,
        EXPIRY_TIMEOUT_MS,
        20,
      );
    });
    const residue = (await db.query(`SELECT count(*) FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER' AND balance_minutes <> 0`, [circleId])).rows[0].count;
    if (Number(residue) !== 0) throw new Error(`${residue} accounts still hold a balance after expiry.`);
    return seconds;
  } finally {
    await queue.close();
    redis.disconnect();
    await db.end();
  }
}

async function zeroWithPlainSql(databaseUrl: string, circleId: string): Promise<number> {
  const db = connect(databaseUrl, "barter");
  await db.connect();
  try {
    return (await timed(() => db.query(`UPDATE accounts SET balance_minutes = 0 WHERE circle_id = $1 AND balance_minutes <> 0`, [circleId]))).seconds;
  } finally {
    await db.end();
  }
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  try {
    console.log(`Barter benchmark: ${settings.members} members, ${settings.confirmationsPerMode} confirmations per path, ${settings.concurrency} concurrent clients, expiry of ${settings.expiryAccounts} accounts.`);
    stack = await startLocalStack({ ephemeral: true, durable: true, output: "tail" });
    const tokenSecret = randomTokenSecret();
    hub = await startHub({ databaseUrl: stack.databaseUrl, redisUrl: stack.redisUrl, tokenSecret, nodeEnv: "production", logLevel: "warn", output: "tail" });
    const gatewayUrl = hub.gatewayUrl!;
    const barterUrl = `${hub.serviceUrls.barter}/graphql`;
    const barterPid = hub.processes.find((p) => p.name === "barter")?.pid;

    const seeding = await timed(() => seedCircle(gatewayUrl, stack!.databaseUrl, tokenSecret));
    const { circleId, members } = seeding.result;
    const inbox = await timed(() =>
      waitFor("barter to open every account from member.joined events", async () => (await countAccounts(stack!.databaseUrl, circleId)) >= settings.members, SEED_TIMEOUT_MS, 250),
    );
    console.log(`Seeded ${settings.members} members in ${round(seeding.seconds)} s; barter opened their accounts from the inbox in ${round(inbox.seconds)} s.`);

    const n = settings.confirmationsPerMode;
    const warmup = await proposeInBulk(stack.databaseUrl, circleId, members, 200, 0);
    await confirmThroughGraphql(gatewayUrl, warmup);
    const viaGateway = await confirmThroughGraphql(gatewayUrl, await proposeInBulk(stack.databaseUrl, circleId, members, n, 200));
    const viaSubgraph = await confirmThroughGraphql(barterUrl, await proposeInBulk(stack.databaseUrl, circleId, members, n, 200 + n));
    const viaPg = await confirmWithPgAlone(stack.databaseUrl, await proposeInBulk(stack.databaseUrl, circleId, members, n, 200 + 2 * n));
    for (const [path, result] of Object.entries({ gateway: viaGateway, subgraph: viaSubgraph, pg: viaPg })) {
      if (result.failures > 0) throw new Error(`${result.failures} confirmations failed via ${path}; first: ${String(result.firstFailure)}`);
      console.log(`Confirmed ${n} exchanges via ${path} in ${round(result.seconds)} s.`);
    }

    const cycle = precedingCycle(cycleContaining(new Date()));
    const recordedAt = new Date(cycle.startsAt.getTime() + 86_400_000);
    const seedExpiry = await timed(async () => [
      await seedExpiryCircle(stack!.databaseUrl, settings.expiryAccounts, cycle.label, recordedAt),
      await seedExpiryCircle(stack!.databaseUrl, settings.expiryAccounts, cycle.label, recordedAt),
    ]);
    const [expiredCircle, zeroedCircle] = seedExpiry.result;
    console.log(`Seeded two circles of ${settings.expiryAccounts} accounts with last cycle's balances in ${round(seedExpiry.seconds)} s.`);
    const expirySeconds = await expireThroughTheQueue(stack.databaseUrl, stack.redisUrl, expiredCircle, cycle.label);
    const plainSqlSeconds = await zeroWithPlainSql(stack.databaseUrl, zeroedCircle);
    const barterPeakMiB = barterPid ? await peakMemoryMiB(barterPid) : undefined;

    const figures = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 2 ** 30), node: process.version },
      settings,
      confirmedExchangesPerSecond: {
        gateway: round(viaGateway.perSecond),
        subgraph: round(viaSubgraph.perSecond),
        pgAlone: round(viaPg.perSecond),
        gatewayToSubgraph: round(viaGateway.perSecond / viaSubgraph.perSecond, 2),
        subgraphToPg: round(viaSubgraph.perSecond / viaPg.perSecond, 2),
        gatewayToPg: round(viaGateway.perSecond / viaPg.perSecond, 2),
      },
      expiry: {
        accounts: settings.expiryAccounts,
        serviceSeconds: round(expirySeconds, 2),
        plainSqlSeconds: round(plainSqlSeconds, 2),
        ratio: round(expirySeconds / plainSqlSeconds, 1),
        accountsPerSecond: Math.round(settings.expiryAccounts / expirySeconds),
      },
      barterPeakMemoryMiB: barterPeakMiB === undefined ? null : round(barterPeakMiB),
      reproduce: REPRODUCE,
    };

    const c = figures.confirmedExchangesPerSecond;
    console.log(`
| confirmed exchanges/s (${settings.concurrency} clients) | per second | ratio |
|---|---|---|
| through the gateway | ${c.gateway} | ${c.gatewayToPg} of pg alone, ${c.gatewayToSubgraph} of the subgraph |
| straight to the barter subgraph | ${c.subgraph} | ${c.subgraphToPg} of pg alone |
| the same SQL with the pg driver alone | ${c.pgAlone} | 1 |

| expiry of ${settings.expiryAccounts} accounts | seconds |
|---|---|
| barter's expiry job (ledger entries, batches, invariant checks) | ${figures.expiry.serviceSeconds} (${figures.expiry.accountsPerSecond} accounts/s) |
| plainest SQL zeroing the same balances | ${figures.expiry.plainSqlSeconds} |
| ratio | ${figures.expiry.ratio}x |

Peak memory (VmHWM) of the barter process: ${figures.barterPeakMemoryMiB ?? "unavailable"} MiB
Reproduce: ${REPRODUCE}`);
    await mkdir("bench-results", { recursive: true });
    const file = `bench-results/barter-${figures.measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Figures written to ${file}`);
  } finally {
    await hub?.stop();
    await stack?.stop();
  }
}
