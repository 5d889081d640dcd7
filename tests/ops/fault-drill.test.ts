import { afterAll, describe, expect, it } from "vitest";
import { SERVICES_HOST, type ProcessInfo } from "@rhizome/infra";
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
/** What the hub promises: members read and trade again within this long after the server is back. */
/** The gateway's default subgraph timeout: an outage must be answered well within it. */
const SERVER_BACK_TIMEOUT_MS = 60_000;
/** Members go on trading this long after each recovery, so every fault starts from a hub in use. */
const SETTLE_MS = 1_000;

describe("fault drill: npm start heals itself", () => {
  let hub: NpmStartedHub | undefined;
  afterAll(async () => {
    await hub?.cleanUp();
  });

  it("members read and trade through Postgres, Redis, both and a service killed with SIGKILL; nothing acknowledged is lost or applied twice", async () => {
    // Tokens that outlive the drill, so what members meet is the outage and not their token's expiry.
    hub = await npmStart({ ACCESS_TOKEN_TTL_SECONDS: "3600" });
    await hub.waitForOutput(/Rhizome is ready/, READY_TIMEOUT_MS);
    const started = hub;
    const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${started.postgresPort}/rhizome`;

    const launcher = () => started.tree().find((info) => info.command.includes("infra/dist/start.js"))!;
    const child = (match: (info: ProcessInfo) => boolean, what: string) => {
      const found = started.tree().find((info) => info.parentPid === launcher().pid && match(info));
      expect(found, what).toBeDefined();
      return found!;
    };
    const postmaster = () => child((info) => info.name === "postgres", "the embedded Postgres");
    const redis = () => child((info) => info.name === "redis-server", "the local Redis");
    const services = () =>
      child(
        (info) => info.command.includes(SERVICES_HOST.entry.replace("/src/", "/dist/").replace(/\.ts$/, ".js")),
        "the services' process",
      );
    const isPostgresBack = async () => postgresAnswers(databaseUrl);
    const isRedisBack = async () => redisAnswers(started.redisPort);
    const areServicesBack = async () => {
      for (const baseUrl of Object.values(started.serviceUrls)) {
        if ((await fetch(`${baseUrl}/ready`).catch(() => undefined))?.status !== 200) return false;
      }
      return true;
    };

    const members = await Members.join(started.gatewayUrl);
    members.start();
    const records: FaultRecord[] = [];
    const gatewayReadiness: Record<string, boolean> = {};
    const gatewayAnswers: Record<string, string> = {};
    const drill = async (fault: string, kill: () => void, isBack: () => Promise<boolean>) => {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const record = await injectFault(members, fault, {
        gatewayUrl: started.gatewayUrl,
        kill,
        isBack,
        timeoutMs: SERVER_BACK_TIMEOUT_MS,
      });
      gatewayReadiness[fault] = record.gatewayReportedOutage;
      gatewayAnswers[fault] = record.gatewayReadiness.join("\n");
      records.push(record);
    };

    await drill("Postgres killed", () => process.kill(postmaster().pid, "SIGKILL"), isPostgresBack);
    await drill("Redis killed", () => process.kill(redis().pid, "SIGKILL"), isRedisBack);
    await drill(
      "Postgres and Redis killed",
      () => {
        const [postgresPid, redisPid] = [postmaster().pid, redis().pid];
        process.kill(postgresPid, "SIGKILL");
        process.kill(redisPid, "SIGKILL");
      },
      async () => (await isPostgresBack()) && (await isRedisBack()),
    );
    await drill("services' process killed", () => process.kill(services().pid, "SIGKILL"), areServicesBack);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await members.stop();

    console.log(
      `\nFault drill (npm start, two members reading every 100 ms and trading without pause):\n${printTable(records)}\n`,
    );
    expectEveryFaultAnsweredAsAnOutage({ records, members, hubOutput: started.output(), gatewayReadiness });
    // It names what is missing, and nothing about where the servers are.
    expect(gatewayAnswers["Postgres killed"]).toMatch(/^503 .*"failing":\[[^\]]*"database"/m);
    expect(gatewayAnswers["Redis killed"]).toMatch(/^503 .*"failing":\[[^\]]*"redis"/m);
    expect(gatewayAnswers["services' process killed"]).toMatch(/^503 .*"not answering"/m);
    // While Postgres or Redis is away, every subgraph still answers its own /ready (with what fails).
    for (const fault of ["Postgres killed", "Redis killed", "Postgres and Redis killed"])
      expect(gatewayAnswers[fault], fault).not.toMatch(/not answering/);
    expect(Object.values(gatewayAnswers).join("\n")).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres:\/\//);
    expect(started.output()).toMatch(/postgres ended unexpectedly \(killed by SIGKILL\)/);
    expect(started.output()).toMatch(/redis ended unexpectedly \(killed by SIGKILL\)/);
    expect(members.acknowledged.length).toBeGreaterThan(records.length);

    // Nothing acknowledged lost, nothing applied twice, balances as members read them.
    console.log(await expectNothingLostNorAppliedTwice(databaseUrl, members));

    const left = await started.stopWithSigterm();
    expect(left.map((info) => `${info.name} ${info.command}`)).toEqual([]);
  }, 300_000);
});
