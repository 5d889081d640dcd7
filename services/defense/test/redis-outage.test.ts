import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@rhizome/kit/testing";
import { api, MINUTE_MS, newCircle, startDefense, type DefenseTestService } from "./support/defense.js";

const SCHEDULE = `mutation ($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { id companionsNeeded } }`;
const HEARINGS = `query ($c: ID!) { hearings(circleId: $c) { id } }`;
const HOUR_MS = 60 * MINUTE_MS;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A redis-server of this test's own, which it stops and starts again on the same folder and port. */
class OwnRedis {
  private child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", "", "--appendonly", "yes"],
      { stdio: "ignore" },
    );
    this.child = child;
    // Never left behind, whatever happens to the test.
    process.once("exit", () => child.kill("SIGKILL"));
    await eventually(async () => ((await this.answersPing()) ? true : undefined), "redis-server answering", 10_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  private answersPing(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, "127.0.0.1");
      const finish = (isPong: boolean) => {
        socket.destroy();
        resolve(isPong);
      };
      socket.setTimeout(500, () => finish(false));
      socket.once("error", () => finish(false));
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => finish(data.toString().startsWith("+PONG")));
    });
  }
}

let redis: OwnRedis;
let dir: string;
let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rhizome-defense-redis-"));
  redis = new OwnRedis(await freePort(), dir);
  await redis.start();
  // An API process, as production runs one: it adds jobs to queues but runs none.
  ({ service, clock } = await startDefense({ env: { REDIS_URL: redis.url, ROLE: "api" } }));
}, 60_000);
afterAll(async () => {
  await service?.stop();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("scheduling a hearing while Redis is down", () => {
  it("is answered SERVICE_UNAVAILABLE at once, writes nothing, and goes through once Redis is back", async () => {
    const call = api(service);
    const circle = await newCircle();
    const member = await circle.member();
    const input = {
      circleId: circle.id,
      startsAt: new Date(clock().getTime() + 5 * 24 * HOUR_MS),
      place: "gcpvj0",
      companionsNeeded: 1,
    };
    await redis.stop();
    // Whether a role was revoked or a session ended is kept in Redis: without it nobody acts, fast.
    const startedMs = performance.now();
    const refused = await call.fails(SCHEDULE, { input }, member);
    expect(performance.now() - startedMs, "the answer while Redis is down").toBeLessThan(3_000);
    expect(refused).toMatchObject({ code: "SERVICE_UNAVAILABLE", status: 503 });
    await redis.start();
    // The service reconnects by itself; until it has, it keeps answering SERVICE_UNAVAILABLE.
    const hearingsOnceBack = await eventually(
      async () => {
        try {
          return (await call.ok(HEARINGS, { c: circle.id }, member)).hearings as unknown[];
        } catch {
          return undefined;
        }
      },
      "the service to answer again once Redis is back",
      15_000,
    );
    expect(hearingsOnceBack).toEqual([]);
    const hearing = (await call.ok(SCHEDULE, { input }, member)).scheduleHearing;
    expect(hearing.companionsNeeded).toBe(1);
    expect((await call.ok(HEARINGS, { c: circle.id }, member)).hearings.map((h: { id: string }) => h.id)).toEqual([
      hearing.id,
    ]);
  }, 30_000);
});
