import { readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePorts, startEmbeddedPostgres, startRedisServer } from "@rhizome/infra";
import { npmStart, type NpmStartedHub } from "./support/npm-start.js";
import {
  expectEveryFaultAnsweredAsAnOutage,
  expectNothingLostNorAppliedTwice,
  injectFault,
  Members,
  postgresAnswers,
  printTable,
  redisAnswers,
  type FaultRecord,
} from "./support/fault-drill.js";

const READY_TIMEOUT_MS = 150_000;
const SERVER_BACK_TIMEOUT_MS = 60_000;
/** How long each server the hub does not run stays down: long enough to see the hub not restart it. */
const DOWN_FOR_MS = 3_000;
const SETTLE_MS = 1_000;

type Stoppable = { stop(): Promise<void> };

describe("npm start with DATABASE_URL and REDIS_URL of servers it does not run", () => {
  let hub: NpmStartedHub | undefined;
  const servers: Stoppable[] = [];
  let folder: string | undefined;
  afterAll(async () => {
    await hub?.cleanUp();
    for (const server of servers.reverse()) await server.stop().catch(() => undefined);
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("answers SERVICE_UNAVAILABLE while they are down and reconnects by itself when they return", async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), "rhizome-external-"));
    await chmod(folder, 0o755); // Postgres runs as its own user
    const [postgresPort, redisPort] = await findFreePorts(2);
    const postgresDir = path.join(folder, "postgres");
    // Durable, as a production database is: a commit is acknowledged once it is on disk, so a kill loses none.
    const postgres = await startEmbeddedPostgres({
      dataDir: postgresDir,
      port: postgresPort,
      ephemeral: true,
      durable: true,
    });
    servers.push(postgres);
    const redis = await startRedisServer({ dir: path.join(folder, "redis"), port: redisPort });
    servers.push(redis);

    hub = await npmStart({ DATABASE_URL: postgres.url, REDIS_URL: redis.url, ACCESS_TOKEN_TTL_SECONDS: "3600" });
    await hub.waitForOutput(/Rhizome is ready/, READY_TIMEOUT_MS);
    expect(hub.output()).toContain("Using DATABASE_URL and REDIS_URL from the environment.");
    const started = hub;

    const members = await Members.join(started.gatewayUrl);
    members.start();
    const records: FaultRecord[] = [];
    const gatewayReadiness: Record<string, boolean> = {};
    let wasRestartedByHub = false;
    const drill = async (
      fault: string,
      kill: () => void,
      isBack: () => Promise<boolean>,
      bringBack: () => Promise<void>,
    ) => {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const record = await injectFault(members, fault, {
        gatewayUrl: started.gatewayUrl,
        kill,
        isBack,
        downForMs: DOWN_FOR_MS,
        // The hub cannot restart a server it does not run: it must still be down when we bring it back.
        bringBack: async () => {
          if (await isBack()) wasRestartedByHub = true;
          await bringBack();
        },
        timeoutMs: SERVER_BACK_TIMEOUT_MS,
      });
      gatewayReadiness[fault] = record.gatewayReportedOutage;
      records.push(record);
    };

    const postmasterPid = () => Number(readFileSync(path.join(postgresDir, "postmaster.pid"), "utf8").split("\n")[0]);
    await drill(
      "external Postgres killed",
      () => process.kill(postmasterPid(), "SIGKILL"),
      () => postgresAnswers(postgres.url),
      () => postgres.restart(),
    );
    await drill(
      "external Redis killed",
      () => redis.process.signal("SIGKILL"),
      () => redisAnswers(redisPort),
      () => redis.restart(),
    );
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await members.stop();

    console.log(
      `\nServers the hub does not run (each down ${DOWN_FOR_MS / 1000} s, then started again by the test):\n${printTable(records)}\n`,
    );
    expect(wasRestartedByHub, "the hub started a server it does not run").toBe(false);
    expectEveryFaultAnsweredAsAnOutage({ records, members, hubOutput: started.output(), gatewayReadiness });
    console.log(await expectNothingLostNorAppliedTwice(postgres.url, members));

    const left = await started.stopWithSigterm();
    expect(left.map((info) => `${info.name} ${info.command}`)).toEqual([]);
  }, 300_000);
});
