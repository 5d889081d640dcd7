import { randomInt, randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import {
  checkWitnessedDraw,
  commitWitnessSeed,
  cycleContaining,
  drawSealKey,
  startService,
  witnessedDrawOf,
  type RunningService,
} from "@rhizome/kit";
import { randomTokenSecret, startLocalStack, type LocalStack } from "@rhizome/infra";
import { governanceService } from "@rhizome/governance";
import {
  appendEntries,
  closeAllDueProposals,
  closingJobId,
  deadlinesQueueName,
  lockLogHeads,
  roleDrawPurpose,
  rotateRoles,
  verifyLog,
  type GovernanceConfig,
} from "@rhizome/governance/bench";
import { timed, waitFor } from "./measure.js";

const settings = {
  proposals: Number(process.env.BENCH_PROPOSALS ?? 10_000),
  circles: Number(process.env.BENCH_CIRCLES ?? 100),
  seatsPerBody: 3,
  drawPool: Number(process.env.BENCH_DRAW_POOL ?? 10_000),
  logEntries: Number(process.env.BENCH_LOG_ENTRIES ?? 100_000),
};
const REPRODUCE = "npm run bench -- governance";
const CLOSING_LEAD_MS = 40_000;
const CLOSING_TIMEOUT_MS = 10 * 60_000;
const LOG_SEED_BATCH = 5_000;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

type Db = RunningService<GovernanceConfig>["runtime"]["db"];

/** Longer than a lunar cycle. */
const SEATED_BEFORE_MS = 40 * 86_400_000;

/** `circles` circles, each with a body of 3 edge seats and proposals that all close at `closesAt`, each with 3 responses. */
async function seedProposals(db: Db, closesAt: Date, now: Date): Promise<Array<{ id: string; circleId: string }>> {
  const perCircle = Math.ceil(settings.proposals / settings.circles);
  const proposals: Array<{ id: string; circleId: string }> = [];
  for (let c = 0; c < settings.circles; c++) {
    const circleId = randomUUID();
    const bodyId = randomUUID();
    const members = Array.from({ length: settings.seatsPerBody }, () => randomUUID());
    const ids = Array.from({ length: Math.min(perCircle, settings.proposals - proposals.length) }, () => randomUUID());
    await db.transaction(async (manager) => {
      // Seated before the last new moon, so each body decides by a counted composition, as a real one does.
      const seatedAt = new Date(now.getTime() - SEATED_BEFORE_MS);
      await manager.query(
        `INSERT INTO bodies (id, circle_id, name, kind, decision_rule, size, quorum_percent, created_by, created_at) VALUES ($1, $2, 'Stewards', 'STEWARD_TEAM', $3, 9, 50, $4, $5)`,
        [bodyId, circleId, c % 2 === 0 ? "CONSENSUS_MINUS_ONE" : "MAJORITY", members[0], seatedAt],
      );
      await manager.query(
        `INSERT INTO seats (body_id, circle_id, member_id, kind, taken_at) SELECT $1, $2, unnest($3::uuid[]), 'EDGE', $4`,
        [bodyId, circleId, members, seatedAt],
      );
      await manager.query(
        `INSERT INTO seat_history (body_id, circle_id, member_id, kind, taken_at) SELECT $1, $2, unnest($3::uuid[]), 'EDGE', $4`,
        [bodyId, circleId, members, seatedAt],
      );
      await manager.query(
        `INSERT INTO proposals (id, circle_id, body_id, title, text, kind, status, closes_at, created_by, created_at)
         SELECT unnest($1::uuid[]), $2, $3, 'Share the ladder', 'Weekly', 'ORDINARY', 'OPEN', $4, $5, $6`,
        [ids, circleId, bodyId, closesAt, members[0], now],
      );
      await manager.query(
        `INSERT INTO responses (proposal_id, circle_id, member_id, response, reason, responded_at)
         SELECT p, $2, m, CASE WHEN random() < 0.1 THEN 'VETO' ELSE 'CONSENT' END, 'a reason', $4 FROM unnest($1::uuid[]) AS p CROSS JOIN unnest($3::uuid[]) AS m`,
        [ids, circleId, members, now],
      );
    });
    proposals.push(...ids.map((id) => ({ id, circleId })));
  }
  return proposals;
}

async function openCount(db: Db, ids: string[]): Promise<number> {
  const [{ count }] = await db.query(
    `SELECT count(*)::int AS count FROM proposals WHERE id = ANY($1::uuid[]) AND status = 'OPEN'`,
    [ids],
  );
  return count;
}

async function benchClosing(service: RunningService<GovernanceConfig>) {
  const { db } = service.runtime;
  const now = new Date();
  const closesAt = new Date(now.getTime() + CLOSING_LEAD_MS);
  const seeded = await timed(() => seedProposals(db, closesAt, now));
  const proposals = seeded.result;
  const ids = proposals.map((p) => p.id);
  const queue = service.runtime.queue(deadlinesQueueName);
  for (let i = 0; i < proposals.length; i += 1_000) {
    await queue.addBulk(
      // As createProposal schedules them: one per proposal, which BullMQ folds into one job per circle and instant.
      proposals.slice(i, i + 1_000).map((p) => ({
        name: "close",
        data: { circleId: p.circleId },
        opts: { jobId: closingJobId(p.circleId, closesAt), delay: Math.max(0, closesAt.getTime() - Date.now()) },
      })),
    );
  }
  console.log(
    `Seeded ${proposals.length} proposals in ${settings.circles} circles (with ${proposals.length * settings.seatsPerBody} responses) in ${round(seeded.seconds, 1)} s; all close at ${closesAt.toISOString()}.`,
  );
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt.getTime() - Date.now())));
  const byJobs = await timed(() =>
    waitFor(
      "every proposal to close through its queued job",
      async () => (await openCount(db, ids)) === 0,
      CLOSING_TIMEOUT_MS,
      50,
    ),
  );
  const [{ entries }] = await db.query(
    `SELECT count(*)::int AS entries FROM decision_log WHERE proposal_id = ANY($1::uuid[])`,
    [ids],
  );
  if (entries !== proposals.length)
    throw new Error(`${entries} log entries for ${proposals.length} proposals: a closing was lost or doubled.`);

  // Baseline: the same closings with no queue, one process calling the store's batch closing in a loop.
  const baselineNow = new Date();
  const baselineSet = await seedProposals(db, baselineNow, baselineNow);
  const byStore = await timed(() => closeAllDueProposals(db, new Date(baselineNow.getTime() + 1)));
  // The service's own sweep may close some of them meanwhile (the loop skips rows it holds): what
  // counts is that none is left open when the loop ends.
  const leftOpen = await openCount(
    db,
    baselineSet.map((p) => p.id),
  );
  if (leftOpen > 0) throw new Error(`The baseline left ${leftOpen} of ${baselineSet.length} open.`);
  return {
    proposals: proposals.length,
    queuedJobsSeconds: round(byJobs.seconds),
    storeLoopSeconds: round(byStore.seconds),
    ratio: round(byJobs.seconds / byStore.seconds, 1),
    proposalsPerSecond: Math.round(proposals.length / byJobs.seconds),
  };
}

async function benchDraw(service: RunningService<GovernanceConfig>) {
  const { db } = service.runtime;
  const now = new Date();
  const circleId = randomUUID();
  const bodyId = randomUUID();
  const roleId = randomUUID();
  const members = Array.from({ length: settings.drawPool }, () => randomUUID());
  await db.query(
    `INSERT INTO bodies (id, circle_id, name, kind, decision_rule, size, quorum_percent, created_by, created_at) VALUES ($1, $2, 'Commons', 'ASSEMBLY', 'MAJORITY', 500, 50, $3, $4)`,
    [bodyId, circleId, members[0], now],
  );
  await db.query(
    `INSERT INTO seats (body_id, circle_id, member_id, kind, taken_at) SELECT $1, $2, unnest($3::uuid[]), 'EDGE', $4`,
    [bodyId, circleId, members, now],
  );
  await db.query(
    `INSERT INTO roles (id, circle_id, body_id, name, powers, holder_count, has_bloc_quota, status, created_at) VALUES ($1, $2, $3, 'facilitator', '{OPEN_PROPOSALS}', 2, false, 'ACTIVE', $4)`,
    [roleId, circleId, bodyId, now],
  );
  const key = drawSealKey(service.runtime.config.TOKEN_SECRET);
  const cycle = cycleContaining(now).label;
  const opened = await timed(async () => {
    for (const witness of [randomUUID(), randomUUID(), randomUUID()]) {
      await commitWitnessSeed(
        db,
        key,
        { circleId, purpose: roleDrawPurpose(roleId), cycle, memberId: witness, seed: randomUUID() },
        now,
      );
    }
  });
  const closed = await timed(() => rotateRoles(db, key, circleId, cycle, now));
  const draw = (await witnessedDrawOf(db, circleId, roleDrawPurpose(roleId), cycle))!;
  const verified = await timed(async () =>
    checkWitnessedDraw({
      drawId: draw.id,
      purpose: draw.purpose,
      cycle,
      pool: draw.pool!,
      rules: draw.rules!,
      poolCommitment: draw.poolCommitment!,
      drawSeed: draw.drawSeed!,
      order: draw.order!,
      witnesses: draw.witnesses,
    }),
  );
  if (!verified.result.commitmentMatches || !verified.result.orderMatches) throw new Error("The draw did not verify.");
  // Baseline: an unverifiable shuffle of the same pool (Fisher-Yates with crypto.randomInt).
  const shuffle = await timed(async () => {
    const pool = [...members].sort();
    for (let i = pool.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool;
  });
  return {
    pool: settings.drawPool,
    openSeconds: round(opened.seconds, 3),
    closeSeconds: round(closed.seconds, 3),
    verifySeconds: round(verified.seconds, 3),
    shuffleSeconds: round(shuffle.seconds, 4),
    verifyToShuffle: round(verified.seconds / shuffle.seconds, 0),
  };
}

async function benchLog(service: RunningService<GovernanceConfig>) {
  const { db } = service.runtime;
  const circleId = randomUUID();
  const bodyId = randomUUID();
  const decidedAt = new Date().toISOString();
  const seeding = await timed(async () => {
    for (let written = 0; written < settings.logEntries; written += LOG_SEED_BATCH) {
      await db.transaction(async (manager) => {
        const heads = await lockLogHeads(manager, [circleId]);
        const batch = Array.from({ length: Math.min(LOG_SEED_BATCH, settings.logEntries - written) }, () => ({
          circleId,
          proposalId: randomUUID(),
          bodyId,
          rule: "CONSENSUS_MINUS_ONE",
          outcome: "PASSED" as const,
          tally: { eligible: 3, consent: 2, standAside: 0, object: 0, veto: 1 },
          reasons: ["Saturdays suit me better"],
          decidedAt,
        }));
        await appendEntries(manager, heads, batch);
      });
    }
  });
  const verified = await timed(() => verifyLog(db, circleId));
  if (!verified.result.isIntact || verified.result.entriesChecked !== settings.logEntries)
    throw new Error(`The log did not verify: ${JSON.stringify(verified.result)}`);
  // Baseline: reading the same rows in the same batches, without hashing.
  const readOnly = await timed(async () => {
    for (let seq = 1; seq <= settings.logEntries; seq += LOG_SEED_BATCH) {
      await db.query(`SELECT * FROM decision_log WHERE circle_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`, [
        circleId,
        seq,
        LOG_SEED_BATCH,
      ]);
    }
  });
  return {
    entries: settings.logEntries,
    seedSeconds: round(seeding.seconds, 1),
    verifySeconds: round(verified.seconds),
    readOnlySeconds: round(readOnly.seconds),
    ratio: round(verified.seconds / readOnly.seconds, 1),
    entriesPerSecond: Math.round(settings.logEntries / verified.seconds),
  };
}

export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let service: RunningService<GovernanceConfig> | undefined;
  try {
    console.log(
      `Governance benchmark: ${settings.proposals} proposals in ${settings.circles} circles closing at the same instant; a draw over ${settings.drawPool} members; verifying a log of ${settings.logEntries} entries.`,
    );
    stack = await startLocalStack({ ephemeral: true, durable: true, output: "tail" });
    service = await startService(governanceService, {
      env: {
        DATABASE_URL: stack.databaseUrl,
        REDIS_URL: stack.redisUrl,
        TOKEN_SECRET: randomTokenSecret(),
        // Governance runs alone here: nothing answers at NETWORK_URL, and nothing in the benchmark asks it.
        NETWORK_URL: "http://127.0.0.1:9",
        NODE_ENV: "production",
        LOG_LEVEL: "fatal",
        PORT: "0",
        ROLE: "all",
      },
    });

    const closing = await benchClosing(service);
    console.log(
      `Closed ${closing.proposals} proposals through their queued jobs in ${closing.queuedJobsSeconds} s after their common closing instant.`,
    );
    const draw = await benchDraw(service);
    const log = await benchLog(service);

    const figures = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
      },
      settings,
      closing,
      draw,
      log,
      reproduce: REPRODUCE,
    };
    console.log(`
| ${closing.proposals} proposals closing at the same instant | seconds | ratio |
|---|---|---|
| until every outcome is in the log, through delayed BullMQ jobs (one per circle and closing instant) | ${closing.queuedJobsSeconds} (${closing.proposalsPerSecond}/s) | ${closing.ratio}x |
| baseline: the store's batch closing called in a loop, no queue | ${closing.storeLoopSeconds} | 1 |

| draw over ${draw.pool} eligible members | seconds |
|---|---|
| three witnesses commit (seeds sealed) | ${draw.openSeconds} |
| new moon (pool frozen, seeds opened, full draw order, holders seated) | ${draw.closeSeconds} |
| verifyDraw's recomputation | ${draw.verifySeconds} (${draw.verifyToShuffle}x an unverifiable Fisher-Yates shuffle, ${draw.shuffleSeconds} s) |

| verifying a decision log of ${log.entries} entries | seconds | ratio |
|---|---|---|
| verifyDecisionLog (read in batches of 5,000, recompute every hash) | ${log.verifySeconds} (${log.entriesPerSecond} entries/s) | ${log.ratio}x |
| baseline: reading the same rows without hashing | ${log.readOnlySeconds} | 1 |

Reproduce: ${REPRODUCE}`);
    await mkdir("bench-results", { recursive: true });
    const file = `bench-results/governance-${figures.measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Figures written to ${file}`);
  } finally {
    await service?.stop();
    await stack?.stop();
  }
}
