import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { dataOrThrow, graphql } from "@rhizome/kit/testing";
import { signPersonToken, startService, type CircleRole } from "@rhizome/kit";
import { randomTokenSecret, startLocalStack } from "@rhizome/infra";
import { defenseService } from "@rhizome/defense";
import { DEFAULT_SETTINGS, enqueueWork, raiseAlert, saveSettings, setWebhook, vaultOf } from "@rhizome/defense/bench";
import { throughput, waitFor } from "./measure.js";

const settings = {
  responders: Number(process.env.BENCH_RESPONDERS ?? 1_000),
  branches: Number(process.env.BENCH_BRANCHES ?? 50),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  alertsInFlight: Number(process.env.BENCH_ALERTS_IN_FLIGHT ?? 1_000),
};
const REPRODUCE = "npm run bench -- defense";
const WAIT_MS = 5 * 60_000;

const CALL_TIMEOUT_MINUTES = 1;
const RAISE = `mutation ($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }`;
const VERIFY = `mutation ($id: ID!) { verifyAlert(alertId: $id) { status } }`;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (value: number) => `${value.toFixed(0)} ms`;

export async function runBenchmark(): Promise<void> {
  const stack = await startLocalStack({ ephemeral: true });
  const tokenSecret = randomTokenSecret();
  const keyDir = await mkdtemp(path.join(os.tmpdir(), "defense-bench-"));
  const service = await startService(defenseService, {
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: "error",
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: stack.redisUrl,
      TOKEN_SECRET: tokenSecret,
      PORT: "0",
      NETWORK_URL: "http://127.0.0.1:9",
      DEFENSE_KEY_FILE: path.join(keyDir, "keys"),
      // The benchmark's SMS gateway listens on this machine.
      DEFENSE_WEBHOOK_ALLOW_LOOPBACK: "true",
    },
    eventPollIntervalMs: 60_000,
  });
  const url = service.server.url;
  const db = service.runtime.db;
  const vault = vaultOf(service.runtime.config);

  // The gateway an SMS provider would run: counts what arrives, by kind and alert.
  const arrivals = new Map<string, number>();
  const receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const { kind, alert } = JSON.parse(body) as { kind: string; alert: { id: string } };
      const key = `${kind}:${alert.id}`;
      arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms`;

  const token = async (circleId: string, memberId: string, roles: CircleRole[] = ["member"]) =>
    (
      await signPersonToken(tokenSecret, randomUUID(), [{ circleId, memberId, roles }], {
        now: new Date(),
        ttlSeconds: 3600,
      })
    ).token;

  try {
    // A circle of 1,000 responders in 50 branches, each with an SMS number sealed like any other.
    const circleId = randomUUID();
    const now = new Date();
    const branchIds = Array.from({ length: settings.branches }, () => randomUUID());
    await db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO branches (id, circle_id, name, created_at) SELECT b, $1, 'branch ' || n, $2 FROM unnest($3::uuid[]) WITH ORDINALITY AS t(b, n)`,
        [circleId, now, branchIds],
      );
      const memberIds = Array.from({ length: settings.responders }, () => randomUUID());
      const responderIds = memberIds.map(() => randomUUID());
      const contacts: Buffer[] = [];
      for (const [i, responderId] of responderIds.entries())
        contacts.push(
          await vault.seal(manager, circleId, "contact", responderId, `+44 7700 9${String(i).padStart(5, "0")}`, now),
        );
      // Every responder agreed to share their number with the benchmark's SMS gateway.
      await manager.query(
        `INSERT INTO responders (id, circle_id, member_id, branch_id, contact_kind, contact_sealed, joined_at, is_trusted, contact_shared_with)
         SELECT r, $1, m, ($2::uuid[])[(1 + (n - 1) % $5)::int], 'SMS', c, $3, n <= 2, $8 FROM unnest($7::uuid[], $4::uuid[], $6::bytea[]) WITH ORDINALITY AS t(r, m, c, n)`,
        [circleId, branchIds, now, memberIds, branchIds.length, contacts, responderIds, receiverUrl],
      );
      await manager.query(
        `INSERT INTO circle_members (member_id, circle_id, joined_at) SELECT member_id, circle_id, joined_at FROM responders WHERE circle_id = $1`,
        [circleId],
      );
      await setWebhook(manager, vault, circleId, receiverUrl, now);
    });
    const trusted: Array<{ member_id: string }> = await db.query(
      `SELECT member_id FROM responders WHERE circle_id = $1 AND is_trusted ORDER BY position`,
      [circleId],
    );
    const verifierTokens = await Promise.all(trusted.map((r) => token(circleId, r.member_id)));
    const raiserToken = await token(circleId, randomUUID());
    const circleSize = settings.responders + 1;

    const heads: Array<{ inboxMs: number; webhooksMs: number }> = [];
    const broadcasts: Array<{ inboxMs: number; webhooksMs: number }> = [];
    for (let round = 0; round < settings.rounds; round++) {
      const raisedAtMs = performance.now();
      const alertId: string = dataOrThrow(
        await graphql(
          url,
          RAISE,
          {
            input: { circleId, kind: "EVICTION", place: "u4pruy", urgency: "CRITICAL", text: "Bailiffs at number 12" },
          },
          raiserToken,
        ),
        "raiseAlert",
      ).raiseAlert.id;
      const inboxMs = performance.now() - raisedAtMs;
      await waitFor(
        "every branch head's webhook",
        async () => (arrivals.get(`CALL:${alertId}`) ?? 0) >= settings.branches,
        WAIT_MS,
        5,
      );
      heads.push({ inboxMs, webhooksMs: performance.now() - raisedAtMs });

      dataOrThrow(await graphql(url, VERIFY, { id: alertId }, verifierTokens[0]), "first verification");
      const verifiedAtMs = performance.now();
      dataOrThrow(await graphql(url, VERIFY, { id: alertId }, verifierTokens[1]), "second verification");
      const broadcastInboxMs = performance.now() - verifiedAtMs;
      const [{ recipients }] = await db.query(`SELECT recipients FROM broadcasts WHERE alert_id = $1`, [alertId]);
      if (recipients !== circleSize) throw new Error(`The broadcast reached ${recipients} members, not ${circleSize}.`);
      await waitFor(
        "every responder's broadcast webhook",
        async () => (arrivals.get(`BROADCAST:${alertId}`) ?? 0) >= settings.responders,
        WAIT_MS,
        10,
      );
      broadcasts.push({ inboxMs: broadcastInboxMs, webhooksMs: performance.now() - verifiedAtMs });
    }

    // Escalation lateness: many alerts in flight, each with a call that escalates after a minute.
    const latenessCircle = randomUUID();
    const latenessBranch = randomUUID();
    await db.query(`INSERT INTO branches (id, circle_id, name, created_at) VALUES ($1, $2, 'only', $3)`, [
      latenessBranch,
      latenessCircle,
      new Date(),
    ]);
    await db.query(
      `INSERT INTO responders (id, circle_id, member_id, branch_id, contact_kind, joined_at) SELECT gen_random_uuid(), $1, gen_random_uuid(), $2, 'INBOX', $3 FROM generate_series(1, 2)`,
      [latenessCircle, latenessBranch, new Date()],
    );
    await saveSettings(
      db,
      latenessCircle,
      { ...DEFAULT_SETTINGS, callTimeoutMinutes: CALL_TIMEOUT_MINUTES },
      new Date(),
    );
    const raising = await throughput(
      Array.from({ length: settings.alertsInFlight }, (_, i) => i),
      8,
      async () => {
        const { work } = await db.transaction((manager) =>
          raiseAlert(
            manager,
            vault,
            {
              circleId: latenessCircle,
              raisedByMemberId: randomUUID(),
              kind: "OTHER",
              geohash: "u4pr",
              urgency: "LOW",
              text: "Benchmark alert",
            },
            service.runtime.clock(),
          ),
        );
        await enqueueWork(service.runtime, work);
      },
    );
    if (raising.failures > 0) throw raising.firstFailure;
    await waitFor(
      "every first call to escalate",
      async () =>
        Number(
          (
            await db.query(
              `SELECT count(*) FROM alert_calls WHERE circle_id = $1 AND step = 0 AND escalated_at IS NOT NULL`,
              [latenessCircle],
            )
          )[0].count,
        ) >= settings.alertsInFlight,
      WAIT_MS,
      500,
    );
    const lateness: number[] = (
      await db.query(
        `SELECT extract(epoch FROM escalated_at - due_at) * 1000 AS late FROM alert_calls WHERE circle_id = $1 AND step = 0`,
        [latenessCircle],
      )
    ).map((r: { late: string }) => Number(r.late));
    const [{ twice }] = await db.query(
      `SELECT count(*) - count(DISTINCT (alert_id, responder_id)) AS twice FROM alert_calls WHERE circle_id = $1`,
      [latenessCircle],
    );

    const figures = {
      measuredAt: new Date().toISOString(),
      reproduce: REPRODUCE,
      machine: `${os.cpus().length} cores, shared (timings are noisy while others work)`,
      settings,
      branchHeadsNotified: {
        inboxMsMedian: quantile(
          heads.map((h) => h.inboxMs),
          0.5,
        ),
        webhooksMsMedian: quantile(
          heads.map((h) => h.webhooksMs),
          0.5,
        ),
        rounds: heads,
      },
      wholeCircleAfterVerification: {
        inboxMsMedian: quantile(
          broadcasts.map((b) => b.inboxMs),
          0.5,
        ),
        webhooksMsMedian: quantile(
          broadcasts.map((b) => b.webhooksMs),
          0.5,
        ),
        rounds: broadcasts,
      },
      escalationLateness: {
        alertsInFlight: settings.alertsInFlight,
        raisedPerSecond: raising.perSecond,
        p50Ms: quantile(lateness, 0.5),
        p99Ms: quantile(lateness, 0.99),
        maxMs: Math.max(...lateness),
        calledTwice: Number(twice),
      },
    };
    console.log(`
Defense alert tree (${settings.responders} responders in ${settings.branches} branches, ${settings.rounds} rounds, medians)
| measure | time |
|---|---|
| raise -> every branch head in the inbox (mutation returned) | ${ms(figures.branchHeadsNotified.inboxMsMedian)} |
| raise -> every branch head's signed webhook received | ${ms(figures.branchHeadsNotified.webhooksMsMedian)} |
| deciding verification -> whole circle (${circleSize}) in the inbox | ${ms(figures.wholeCircleAfterVerification.inboxMsMedian)} |
| deciding verification -> every responder's webhook received | ${ms(figures.wholeCircleAfterVerification.webhooksMsMedian)} |

Escalation lateness, actual minus scheduled (${settings.alertsInFlight} alerts in flight, raised at ${raising.perSecond.toFixed(0)}/s, ${CALL_TIMEOUT_MINUTES}-minute timeout)
| p50 | p99 | max | called twice |
|---|---|---|---|
| ${ms(figures.escalationLateness.p50Ms)} | ${ms(figures.escalationLateness.p99Ms)} | ${ms(figures.escalationLateness.maxMs)} | ${figures.escalationLateness.calledTwice} |

No baseline: nothing comparable runs in the same process. ${figures.machine}.
Reproduce: ${REPRODUCE}`);
    await mkdir("bench-results", { recursive: true });
    const file = `bench-results/defense-${figures.measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Figures written to ${file}`);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
    await service.stop();
    await stack.stop();
  }
}
