import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { randomTokenSecret, startLocalStack, startScaledHub, type LocalStack, type ScaledHub } from "@rhizome/infra";
import {
  connectRedis,
  createQueue,
  cycleContaining,
  cycleJobsQueueName,
  dataOrThrow,
  followingCycle,
  gql,
  boundaryJobId,
  type Queue,
} from "@rhizome/kit";
import { bearer, circleWithMembers, eventually, type Session, type TestCircle } from "@rhizome/kit/testing";

// Two API and two worker processes of every service against one Postgres and one Redis, with a
// gateway that reaches half the services through each API process. Every service process reads
// its clock from one file the test moves; stalled jobs are looked for every second, not every 30 s.
const CIRCLES = 12;
const JOINED_PER_CIRCLE = 3;
const LOCK_DURATION_MS = 2_000;
const STALLED_INTERVAL_MS = 1_000;
const CYCLE_JOBS: Record<string, string[]> = {
  barter: ["expiry"],
  tools: ["caretakers"],
  governance: ["role-rotation", "cycle-review"],
  sovereignty: ["scores"],
};
const CONSUMERS = ["barter", "tools", "governance", "defense", "sovereignty"];

const PROPOSE = `mutation ScalePropose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id } }`;
const CONFIRM = `mutation ScaleConfirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;

interface Circle {
  circle: TestCircle;
  members: Session[];
}

describe("the hub scaled out to two API and two worker processes per service", () => {
  let stack: LocalStack;
  let hub: ScaledHub;
  let db: pg.Client;
  let folder: string;
  let clockFile: string;
  const queues: Queue[] = [];
  const redisConnections: Array<{ disconnect(): void }> = [];
  const circles: Circle[] = [];
  const start = new Date();
  const cycle = cycleContaining(start);
  const next = followingCycle(cycle);
  /** Each member's balance after the confirmations, by circle: what the new moon expires and annuls. */
  const balances = new Map<string, Map<string, number>>();

  async function setClock(instant: Date): Promise<void> {
    // Written beside the clock file and renamed over it: no process ever reads half an instant.
    const written = `${clockFile}.next`;
    await writeFile(written, instant.toISOString());
    await rename(written, clockFile);
  }

  const sql = async <Row extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
    (await db.query<Row>(text, params)).rows;
  const circleIds = () => circles.map(({ circle }) => circle.id);

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), "rhizome-scale-out-"));
    clockFile = path.join(folder, "clock");
    await setClock(start);
    stack = await startLocalStack({ ephemeral: true });
    hub = await startScaledHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret: randomTokenSecret(),
      apiProcesses: 2,
      workerProcesses: 2,
      readyTimeoutMs: 240_000,
      env: {
        CLOCK_FILE: clockFile,
        QUEUE_LOCK_DURATION_MS: String(LOCK_DURATION_MS),
        QUEUE_STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS),
        EVENT_POLL_INTERVAL_MS: "250",
        // Enough slots that the expiry's pages spread over both workers, so one can be killed holding some.
        CYCLE_JOB_CONCURRENCY: "8",
        RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
        RATE_LIMIT_LOGINS_PER_MINUTE: "1000000",
      },
    });
    db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 300_000);

  afterAll(async () => {
    for (const queue of queues) await queue.close();
    for (const connection of redisConnections) connection.disconnect();
    await db?.end();
    await hub?.stop();
    await stack?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** Where exchange number `i` is sent: through the gateway, or straight to one API process's barter. */
  function barterEndpoint(i: number): string {
    const endpoints = [hub.gatewayUrl, ...hub.apis.map((api) => `${api.serviceUrls.barter}/graphql`)];
    return endpoints[i % endpoints.length];
  }

  async function exchange(
    endpoint: string,
    circleId: string,
    provider: Session,
    receiver: Session,
    minutes: number,
  ): Promise<void> {
    const input = {
      circleId,
      providerMemberId: provider.memberId,
      receiverMemberId: receiver.memberId,
      minutes,
      skill: "Bike Repair",
    };
    const proposed = dataOrThrow(
      await gql(endpoint, PROPOSE, { input }, bearer(provider.token)),
      "propose",
    ).proposeExchange;
    const confirmed = dataOrThrow(
      await gql(endpoint, CONFIRM, { id: proposed.id }, bearer(receiver.token)),
      "confirm",
    ).confirmExchange;
    expect(confirmed.status).toBe("CONFIRMED");
  }

  it("under concurrent confirmations through both API processes, relays each event to each consumer exactly once", async () => {
    const handles = Array.from({ length: JOINED_PER_CIRCLE }, (_, i) => `member${i + 1}`);
    for (let i = 0; i < CIRCLES; i += 4) {
      const founded = await Promise.all(
        Array.from({ length: Math.min(4, CIRCLES - i) }, () => circleWithMembers(hub.gatewayUrl, handles, "scale")),
      );
      circles.push(
        ...founded.map(({ circle, members }) => ({
          circle,
          members: [circle.organizer, ...handles.map((handle) => members[handle])],
        })),
      );
    }
    // Barter learns each circle and member from network's events, read by whichever worker gets there first.
    await eventually(
      async () => {
        const [{ accounts }] = await sql<{ accounts: number }>(
          `SELECT count(*)::int AS accounts FROM barter.accounts WHERE kind = 'MEMBER' AND circle_id = ANY($1::uuid[])`,
          [circleIds()],
        );
        return accounts === CIRCLES * (JOINED_PER_CIRCLE + 1) ? true : undefined;
      },
      "barter to open every member's account",
      30_000,
    );

    // Every member gives to the next one, all circles at once, each exchange through another door.
    let sent = 0;
    await Promise.all(
      circles.flatMap(({ circle, members }) => {
        const balance = new Map(members.map((member) => [member.memberId, 0]));
        balances.set(circle.id, balance);
        return members.map((provider, m) => {
          const receiver = members[(m + 1) % members.length];
          const minutes = 10 + m;
          balance.set(provider.memberId, balance.get(provider.memberId)! + minutes);
          balance.set(receiver.memberId, balance.get(receiver.memberId)! - minutes);
          return exchange(barterEndpoint(sent++), circle.id, provider, receiver, minutes);
        });
      }),
    );

    const confirmedEvents = await sql<{ id: string; circle_id: string }>(
      `SELECT id, circle_id FROM barter.outbox WHERE topic = 'exchange.confirmed' AND circle_id = ANY($1::uuid[])`,
      [circleIds()],
    );
    expect(confirmedEvents).toHaveLength(CIRCLES * (JOINED_PER_CIRCLE + 1));
    const recorded = await eventually(
      async () => {
        const rows = await sql<{ source_event_id: string }>(
          `SELECT source_event_id FROM sovereignty.sovereignty_events WHERE kind = 'EXCHANGE' AND circle_id = ANY($1::uuid[])`,
          [circleIds()],
        );
        return rows.length >= confirmedEvents.length ? rows : undefined;
      },
      "sovereignty to record every confirmed exchange",
      30_000,
    );
    expect(recorded.map((row) => row.source_event_id).sort()).toEqual(confirmedEvents.map((event) => event.id).sort());

    // One account per joined member, opened from network's member.joined events: none missing, none twice.
    const joined = await sql<{ member_id: string }>(
      `SELECT payload->>'memberId' AS member_id FROM network.outbox WHERE topic = 'member.joined' AND circle_id = ANY($1::uuid[])`,
      [circleIds()],
    );
    const accounts = await sql<{ member_id: string }>(
      `SELECT member_id FROM barter.accounts WHERE kind = 'MEMBER' AND circle_id = ANY($1::uuid[])`,
      [circleIds()],
    );
    expect(accounts.map((a) => a.member_id).sort()).toEqual(joined.map((j) => j.member_id).sort());

    // Every consumer has learned every circle from circle.founded, each once.
    for (const consumer of CONSUMERS) {
      const known = await sql<{ circle_id: string }>(
        `SELECT circle_id FROM ${consumer}.known_circles WHERE circle_id = ANY($1::uuid[])`,
        [circleIds()],
      );
      expect(known.map((k) => k.circle_id).sort(), consumer).toEqual([...circleIds()].sort());
    }
  }, 180_000);

  it("at the new moon runs each cycle job once per circle, and a worker killed mid-run loses nothing", async () => {
    expect(circles).toHaveLength(CIRCLES);
    const redis = connectRedis(stack.redisUrl);
    redisConnections.push(redis);
    for (const service of Object.keys(CYCLE_JOBS)) queues.push(createQueue(cycleJobsQueueName(service), redis));
    const barterCycles = queues[0];
    const [victim, survivor] = hub.workers;
    const victimName = `${os.hostname()}:${victim.process.pid}`;

    // Barter's expiry runs are held in flight: every run's first write waits on this lock.
    const locker = new pg.Client({ connectionString: stack.databaseUrl });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE barter.cycle_runs IN SHARE MODE");
    try {
      await setClock(new Date(cycle.endsAt.getTime() + 60 * 60 * 1000));
      // The delayed boundary jobs wait for the real new moon; the test's clock has passed it, so run them now.
      for (const [i, service] of Object.keys(CYCLE_JOBS).entries()) {
        for (const purpose of CYCLE_JOBS[service]) {
          const boundary = await eventually(
            () => queues[i].getJob(boundaryJobId(purpose, cycle.label)),
            `${service}'s ${purpose} boundary`,
          );
          await boundary.promote();
        }
      }
      const held = await eventually(async () => {
        const active = await barterCycles.getActive();
        // Expiry runs in pages of circles; a circle a page leaves out runs alone.
        const runs = active.filter((job) => job.name === "page" || job.name === "run");
        const victims = runs.filter((job) => job.processedBy === victimName);
        return victims.length > 0 && runs.some((job) => job.processedBy !== victimName) ? victims : undefined;
      }, "both workers to hold barter expiry runs in flight");

      victim.process.signal("SIGKILL");
      await victim.process.exited;
      await locker.query("COMMIT");

      // The survivor finishes its own runs, then takes over the dead worker's once their hold lapses.
      const finished = await eventually(
        async () => {
          const rows = await sql<{ schema: string; purpose: string; circles: number }>(
            Object.keys(CYCLE_JOBS)
              .map(
                (service) =>
                  `SELECT '${service}' AS schema, purpose, count(*)::int AS circles FROM ${service}.cycle_runs WHERE cycle = $1 AND finished_at IS NOT NULL AND circle_id = ANY($2::uuid[]) GROUP BY purpose`,
              )
              .join(" UNION ALL "),
            [cycle.label, circleIds()],
          );
          const done = Object.values(CYCLE_JOBS)
            .flat()
            .every((purpose) => rows.some((row) => row.purpose === purpose && row.circles === CIRCLES));
          return done ? rows : undefined;
        },
        "every cycle job of every circle to finish",
        60_000,
      );
      expect(finished).toHaveLength(Object.values(CYCLE_JOBS).flat().length);

      for (const job of held) {
        const after = await barterCycles.getJob(job.id!);
        expect(await after!.getState(), `run ${job.id}`).toBe("completed");
        expect(after!.processedBy).toBe(`${os.hostname()}:${survivor.process.pid}`);
      }
    } finally {
      await locker.end().catch(() => undefined);
    }

    // Exactly once, seen in what each job did: one expiry per circle, of exactly its credits and debts...
    const expired = await sql<{ circle_id: string; credits: number; debts: number }>(
      `SELECT circle_id, (payload->>'creditsExpiredMinutes')::int AS credits, (payload->>'debtsAnnulledMinutes')::int AS debts
       FROM barter.outbox WHERE topic = 'cycle.expired' AND payload->>'cycle' = $1 AND circle_id = ANY($2::uuid[])`,
      [cycle.label, circleIds()],
    );
    expect(expired).toHaveLength(CIRCLES);
    for (const { circle_id, credits, debts } of expired) {
      const owed = [...balances.get(circle_id)!.values()];
      expect({ credits, debts }, circle_id).toEqual({
        credits: owed.filter((b) => b > 0).reduce((sum, b) => sum + b, 0),
        debts: -owed.filter((b) => b < 0).reduce((sum, b) => sum + b, 0),
      });
    }
    const expiries = await sql<{ accounts: number }>(
      `SELECT count(*)::int AS accounts FROM barter.expiry_runs WHERE cycle = $1 AND finished_at IS NOT NULL AND circle_id = ANY($2::uuid[])`,
      [cycle.label, circleIds()],
    );
    expect(expiries[0].accounts).toBe(CIRCLES);
    // ... one caretaker draw and one commons assembly for the cycle that begins, one set of closed scores.
    const [draws] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tools.caretaker_draws WHERE cycle = $1 AND circle_id = ANY($2::uuid[])`,
      [next.label, circleIds()],
    );
    expect(draws.n).toBe(CIRCLES);
    const [assemblies] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM governance.assemblies WHERE kind = 'COMMONS' AND cycle = $1 AND circle_id = ANY($2::uuid[])`,
      [next.label, circleIds()],
    );
    expect(assemblies.n).toBe(CIRCLES);
    const [scores] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM sovereignty.cycle_scores WHERE cycle = $1 AND circle_id = ANY($2::uuid[])`,
      [cycle.label, circleIds()],
    );
    expect(scores.n).toBe(CIRCLES);

    // The expiries' events reach sovereignty through the surviving worker, each once.
    await eventually(
      async () => {
        const [{ n }] = await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM sovereignty.consumed_events c JOIN barter.outbox o ON o.id = c.event_id WHERE o.topic = 'cycle.expired' AND o.circle_id = ANY($1::uuid[])`,
          [circleIds()],
        );
        return n === CIRCLES ? true : undefined;
      },
      "sovereignty to consume every expiry",
      30_000,
    );
    // Debts annulled at a new moon count in the cycle that new moon began (published figures never change).
    const annulled = await sql<{ circle_id: string; n: number }>(
      `SELECT circle_id, count(*)::int AS n FROM sovereignty.sovereignty_events WHERE kind = 'DEBTS_ANNULLED' AND cycle = $1 AND circle_id = ANY($2::uuid[]) GROUP BY circle_id`,
      [next.label, circleIds()],
    );
    expect(annulled.map((row) => row.n)).toEqual(Array(CIRCLES).fill(1));
  }, 180_000);
});
