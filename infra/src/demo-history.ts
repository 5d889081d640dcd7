/**
 * The clock the demo seed moves through past lunar cycles, for a hub started on a clock file.
 *
 * Why a moving clock rather than rows written into the past: the demo's past is made the way a real
 * circle's is, by the services' own mutations at the instant the hub says it is, and every new moon
 * is closed by the services' own cycle jobs (credit expiry, sovereignty's published figures, role
 * rotation, caretaker duos). Nothing derived is written by the seed, so there is one source of truth
 * and the demo shows what the code really does. CLOCK_FILE is refused in production, so a production
 * hub is seeded on the system's clock (everything in the current cycle) instead.
 *
 * How a past cycle is closed: the services start with the clock an hour into the oldest cycle, so
 * each service's boundary jobs (BullMQ delayed jobs, due at the new moon on the machine's time)
 * run at once, find no circle that has ended a cycle, and chain up to the real current cycle's new
 * moon before any circle exists. When the seed moves the clock past a new moon, it adds each cycle
 * purpose's watchdog job, the kit's own catch-up for runs that were missed, and waits for every
 * known circle's run record of that cycle to be finished.
 */
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { signPersonToken, type Membership } from "@rhizome/kit/auth";
import { boundaryJobId, connectRedis, createQueue, cycleJobsQueueName, type Queue } from "@rhizome/kit/jobs";
import { cycleContaining, precedingCycle, type LunarCycle } from "@rhizome/kit/rules";
import type { DemoHistoryClock } from "./seed-activity.js";

/** The closed cycles of activity `npm start` seeds before the current one. */
export const DEMO_PAST_CYCLES = 3;
/**
 * Settings for the services while the seed moves their clock: governance closes a proposal whose
 * week is over, and defense an alert whose time is up, within a second of the clock passing it.
 */
export const DEMO_HISTORY_SETTINGS: Readonly<Record<string, string>> = {
  DEADLINE_SWEEP_INTERVAL_MS: "1000",
  DEFENSE_SWEEP_INTERVAL_MS: "1000",
};
const WATCHDOG_SUFFIX = "-watchdog";
/**
 * How long every service's inbox must stay unchanged, with nothing it reads left unread, before a
 * new moon: longer than a consumer's poll interval (1 s), so an event on its way is not missed.
 */
const EVENTS_QUIET_MS = 1_500;
const POLL_MS = 250;
/** How long a new moon's jobs may take for the demo's few circles, or the schedules to settle at start. */
const DEFAULT_WAIT_MS = 120_000;

/** An hour into the oldest of `pastCycles` closed cycles before the one containing `now`: where the seeding hub starts. */
export function demoHistoryStartsAt(pastCycles: number, now: Date = new Date()): Date {
  let cycle = cycleContaining(now);
  for (let back = 0; back < pastCycles; back++) cycle = precedingCycle(cycle);
  return new Date(cycle.startsAt.getTime() + 60 * 60 * 1000);
}

/** Whether the hub has no circle yet (network not even migrated counts as none): only then is it seeded. */
export async function hasNoCircles(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const table = await client.query<{ name: string | null }>(`SELECT to_regclass('network.circles')::text AS name`);
    if (!table.rows[0].name) return true;
    const circles = await client.query(`SELECT 1 FROM network.circles LIMIT 1`);
    return circles.rowCount === 0;
  } finally {
    await client.end();
  }
}

export interface ClockFileHistory extends DemoHistoryClock {
  /** The file to give the services as CLOCK_FILE. */
  clockFile: string;
  /** Waits until every service's cycle jobs have chained their boundaries up to the real current cycle. */
  waitForSchedules(): Promise<void>;
  /** Closes the connections and removes the clock file. */
  close(): Promise<void>;
}

export interface ClockFileHistoryOptions {
  databaseUrl: string;
  /** The hub's token secret: the seed signs again, at the system's time, the tokens the hub issued at its clock's. */
  tokenSecret: string;
  redisUrl: string;
  /** The services whose cycle jobs the seed waits for (those without any are passed over). */
  services: readonly string[];
  pastCycles?: number;
  /** Default: the system's clock. */
  now?: () => Date;
  waitTimeoutMs?: number;
}

/** The claims of a token the hub issued (network's login), signed again at `now`: same person, memberships and session. */
async function signedAgainNow(secret: string, token: string, now: Date): Promise<string> {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
    sub: string;
    mem: Array<[string, string, Membership["roles"]]>;
    sid?: string;
  };
  const memberships = payload.mem.map(([circleId, memberId, roles]) => ({ circleId, memberId, roles }));
  return (await signPersonToken(secret, payload.sub, memberships, { now, sessionId: payload.sid })).token;
}

/**
 * What each service's inbox has yet to read, and a fingerprint of what it has read. A published
 * cycle's figures are frozen at the new moon, and an event that arrives after it counts in the next
 * cycle: so the seed closes a cycle only once every event of it has been read. A consumer's topics
 * are the ones it has read from that producer before (plus the quiet period for a first one).
 */
async function inboxes(db: pg.Pool, services: readonly string[]): Promise<{ unread: string[]; fingerprint: string }> {
  const consumers: string[] = [];
  for (const service of services) {
    const { rows } = await db.query<{ name: string | null }>(`SELECT to_regclass($1)::text AS name`, [
      `"${service}".event_cursors`,
    ]);
    if (rows[0].name) consumers.push(service);
  }
  const unread: string[] = [];
  const fingerprint: string[] = [];
  for (const consumer of consumers) {
    const { rows: cursors } = await db.query<{ source: string; position: string }>(
      `SELECT source, position FROM "${consumer}".event_cursors ORDER BY source`,
    );
    const { rows: consumed } = await db.query<{ count: string }>(`SELECT count(*) FROM "${consumer}".consumed_events`);
    fingerprint.push(`${consumer}:${consumed[0].count}:${cursors.map((c) => `${c.source}@${c.position}`).join(",")}`);
    for (const { source } of cursors) {
      if (!services.includes(source)) continue;
      const { rows } = await db.query<{ count: string }>(
        `SELECT count(*) FROM "${source}".outbox o
         WHERE o.tx < pg_snapshot_xmin(pg_current_snapshot())
           AND o.topic IN (SELECT DISTINCT read.topic FROM "${source}".outbox read
                           JOIN "${consumer}".consumed_events e ON e.event_id = read.id)
           AND NOT EXISTS (SELECT FROM "${consumer}".consumed_events e WHERE e.event_id = o.id)`,
      );
      if (Number(rows[0].count) > 0) unread.push(`${consumer} has ${rows[0].count} of ${source}'s events to read`);
    }
  }
  return { unread, fingerprint: fingerprint.join(";") };
}

/** A clock file set an hour into the oldest past cycle, and the means to move it and close each cycle. */
export async function clockFileHistory(options: ClockFileHistoryOptions): Promise<ClockFileHistory> {
  const now = options.now ?? (() => new Date());
  const pastCycles = options.pastCycles ?? DEMO_PAST_CYCLES;
  const waitTimeoutMs = options.waitTimeoutMs ?? DEFAULT_WAIT_MS;
  const folder = await mkdtemp(path.join(os.tmpdir(), "rhizome-demo-clock-"));
  const clockFile = path.join(folder, "now");
  let current = demoHistoryStartsAt(pastCycles, now());
  // Written beside the clock file and renamed over it: no process ever reads half an instant.
  const write = async (instant: Date) => {
    await writeFile(`${clockFile}.next`, instant.toISOString());
    await rename(`${clockFile}.next`, clockFile);
  };
  await write(current);

  const redis = connectRedis(options.redisUrl);
  const db = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  const queues = new Map<string, Queue>(
    options.services.map((service) => [service, createQueue(cycleJobsQueueName(service), redis)]),
  );

  /** Each service's cycle purposes, read from the watchdog schedules its worker keeps. */
  const purposesByService = async () => {
    const found: Array<{ service: string; queue: Queue; purposes: string[] }> = [];
    for (const [service, queue] of queues) {
      const schedulers = await queue.getJobSchedulers();
      const purposes = schedulers
        .map((scheduler) => scheduler.key)
        .filter((key) => key.endsWith(WATCHDOG_SUFFIX))
        .map((key) => key.slice(0, -WATCHDOG_SUFFIX.length));
      if (purposes.length > 0) found.push({ service, queue, purposes });
    }
    return found;
  };

  const waitUntil = async (what: string, check: () => Promise<string[]>) => {
    const deadlineMs = performance.now() + waitTimeoutMs;
    for (;;) {
      const missing = await check();
      if (missing.length === 0) return;
      if (performance.now() > deadlineMs)
        throw new Error(`${what} did not finish within ${waitTimeoutMs / 1000} s: ${missing.join(", ")}.`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  return {
    clockFile,
    pastCycles,
    now,
    tokenFor: (token) => signedAgainNow(options.tokenSecret, token, now()),
    async moveTo(instant) {
      if (instant.getTime() < current.getTime())
        throw new Error(
          `The demo clock moves forward only: ${instant.toISOString()} is before ${current.toISOString()}.`,
        );
      current = instant;
      await write(instant);
    },
    async waitForSchedules() {
      const realCycle = cycleContaining(now()).label;
      await waitUntil("Chaining the cycle jobs' new moons", async () => {
        const services = await purposesByService();
        if (services.length === 0) return ["no service keeps cycle jobs yet"];
        const missing: string[] = [];
        for (const { service, queue, purposes } of services)
          for (const purpose of purposes)
            if (!(await queue.getJob(boundaryJobId(purpose, realCycle)))) missing.push(`${service} ${purpose}`);
        return missing;
      });
    },
    async closeCycle(cycle: LunarCycle) {
      if (current.getTime() < cycle.endsAt.getTime())
        throw new Error(`Cycle ${cycle.label} ends at ${cycle.endsAt.toISOString()}: move the clock past it first.`);
      // Every event of the cycle read first, with the inboxes quiet for a while.
      let quiet = { fingerprint: "", sinceMs: performance.now() };
      await waitUntil(`Reading the events of ${cycle.label}`, async () => {
        const { unread, fingerprint } = await inboxes(db, options.services);
        if (fingerprint !== quiet.fingerprint) quiet = { fingerprint, sinceMs: performance.now() };
        if (unread.length > 0) return unread;
        return performance.now() - quiet.sinceMs < EVENTS_QUIET_MS ? ["the inboxes are still changing"] : [];
      });
      const services = await purposesByService();
      for (const { queue, purposes } of services)
        for (const purpose of purposes)
          await queue.add("watchdog", { purpose }, { jobId: `demo-history-${purpose}-${cycle.label}` });
      await waitUntil(`The new moon's jobs of ${cycle.label}`, async () => {
        const missing: string[] = [];
        for (const { service, purposes } of services)
          for (const purpose of purposes) {
            // The service's own schema, named after it; its circles first seen before the new moon each get a run.
            const { rows } = await db.query<{ known: string; finished: string }>(
              `SELECT (SELECT count(*) FROM "${service}".known_circles WHERE first_seen_at < $1) AS known,
                      (SELECT count(*) FROM "${service}".cycle_runs
                        WHERE purpose = $2 AND cycle = $3 AND finished_at IS NOT NULL) AS finished`,
              [cycle.endsAt, purpose, cycle.label],
            );
            if (Number(rows[0].finished) < Number(rows[0].known)) missing.push(`${service} ${purpose}`);
          }
        return missing;
      });
    },
    async close() {
      for (const queue of queues.values()) await queue.close();
      redis.disconnect();
      await db.end();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
