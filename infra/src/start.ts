// `npm start`: the whole hub on this machine, with data kept under .data/ between runs.
import path from "node:path";
import { describeUnexpectedExit, type ManagedProcess } from "./child-processes.js";
import { assertPortIsFree } from "./free-port.js";
import { SMALL_POSTGRES_SETTINGS } from "./embedded-postgres.js";
import { SMALL_NODE_FLAGS, startHub, type HubOptions, type RunningHub } from "./hub.js";
import { DEFAULT_POSTGRES_PORT, DEFAULT_REDIS_PORT, startLocalStack, type LocalStack } from "./local-stack.js";
import { DEFAULT_DATA_DIR } from "./repo-paths.js";
import { DEMO_CIRCLES, demoLogin, demoLoginMutation, type SeedResult } from "./seed.js";
import { DEMO_PAST_CYCLES, hasNoCircles } from "./demo-history.js";
import { MAX_DEMO_PAST_CYCLES } from "./seed-activity.js";
import { seedDemoHub, startDemoHub } from "./demo-hub.js";
import {
  availableGateway,
  availableServices,
  GATEWAY,
  portFromEnvironment,
  portsFromEnvironment,
  portVariable,
} from "./services.js";
import { readOrCreateTokenSecret } from "./token-secret.js";
import { once, secondsSince } from "./timing.js";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** How often the launcher checks that whoever started it (npm, a shell) is still there. */
const PARENT_CHECK_INTERVAL_MS = 1_000;

const env = process.env;
const dataDir = env.DATA_DIR ? path.resolve(env.DATA_DIR) : DEFAULT_DATA_DIR;
const startedAtMs = performance.now();
const cancel = new AbortController();
let stack: LocalStack | undefined;
let hub: RunningHub | undefined;
let isStopping = false;
let startup: Promise<void> = Promise.resolve();

const stopEverything = once(async () => {
  cancel.abort();
  // Whatever is half-started stops itself on cancel; wait for that before stopping the rest.
  await startup.catch(() => undefined);
  await hub?.stop();
  await stack?.stop();
});

async function stopAndExit(exitCode: number, message?: string): Promise<never> {
  isStopping = true;
  if (message) console.error(message);
  await stopEverything();
  process.exit(exitCode);
}

for (const signal of STOP_SIGNALS) {
  process.on(signal, () => {
    if (isStopping) return;
    console.log(`\nStopping Rhizome (${signal}) ...`);
    void stopAndExit(0);
  });
}

// npm runs the launcher through a shell; a service manager's SIGTERM may end npm without reaching
// us. When our parent is gone we are adopted by another process: stop everything then too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid === parentPid || isStopping) return;
  console.log(`\nThe process that started Rhizome (pid ${parentPid}) has ended. Stopping Rhizome ...`);
  void stopAndExit(0);
}, PARENT_CHECK_INTERVAL_MS).unref();

function onUnexpectedExit(child: ManagedProcess): void {
  if (isStopping) return;
  console.error(`\n${describeUnexpectedExit(child, "exited unexpectedly")}`);
}

function onRestart(name: string, delayMs: number): void {
  if (!isStopping) console.error(`Starting ${name} again in ${delayMs / 1000} s ...`);
}

function isSeedWanted(): boolean {
  return !process.argv.includes("--no-seed") && env.SEED !== "false";
}

/** DEMO_PAST_CYCLES: how many past lunar cycles an empty hub's demo lives (1 to MAX_DEMO_PAST_CYCLES). */
function demoPastCycles(): number {
  const text = env.DEMO_PAST_CYCLES;
  if (text === undefined || text === "") return DEMO_PAST_CYCLES;
  const cycles = Number(text);
  if (!Number.isInteger(cycles) || cycles < 1 || cycles > MAX_DEMO_PAST_CYCLES)
    throw new Error(
      `DEMO_PAST_CYCLES is ${JSON.stringify(text)}: give a whole number of past lunar cycles from 1 to ${MAX_DEMO_PAST_CYCLES}.`,
    );
  return cycles;
}

const cyclesText = (cycles: number) => `${cycles} past lunar cycle${cycles === 1 ? "" : "s"}`;

async function assertFixedPortsAreFree(hubPorts: Record<string, number>): Promise<void> {
  const checks = [...availableServices(), GATEWAY].map((definition) =>
    assertPortIsFree(hubPorts[definition.name], definition.name, portVariable(definition)),
  );
  if (!env.DATABASE_URL)
    checks.push(
      assertPortIsFree(
        portFromEnvironment("POSTGRES_PORT", DEFAULT_POSTGRES_PORT),
        "Postgres",
        "POSTGRES_PORT (or DATABASE_URL)",
      ),
    );
  if (!env.REDIS_URL)
    checks.push(
      assertPortIsFree(portFromEnvironment("REDIS_PORT", DEFAULT_REDIS_PORT), "Redis", "REDIS_PORT (or REDIS_URL)"),
    );
  await Promise.all(checks);
}

/** The ready lines: where the hub and the app are, and how to log in to the demo. */
function printReady(gatewayUrl: string, seed: SeedResult | undefined): void {
  console.log("");
  console.log(`Rhizome is ready: ${gatewayUrl}`);
  console.log(`The app (members and organizers): ${new URL("/app/", gatewayUrl).href}`);
  if (seed?.hasSeeded)
    console.log(
      `Seeded a demo network: ${DEMO_CIRCLES.map((circle) => circle.slug).join(", ")} (${seed.pastCycles ? `with ${cyclesText(seed.pastCycles)} of activity and this one's` : "with this cycle's activity"}).`,
    );
  if (seed?.activityProblem)
    console.log(`The demo circles are there, but their activity is not complete: ${seed.activityProblem}`);
  if (seed?.hasSeeded || seed?.existingSlugs.includes(DEMO_CIRCLES[0].slug)) {
    console.log(`Demo login in the app: ${demoLogin()}`);
    console.log(`Log in through GraphQL: ${demoLoginMutation()}`);
  } else if (seed) console.log("Not seeded: the hub already has circles.");
  if (seed && env.PERSISTED_OPERATIONS_ONLY === "true") {
    console.log(
      "The gateway runs only registered operations for anonymous callers: register the login hub-wide (with OPERATOR_KEY) or log in at network's own endpoint.",
    );
  }
}

async function main(): Promise<void> {
  if (!availableGateway())
    throw new Error(`The gateway's entry file ${GATEWAY.entry} does not exist yet: nothing to serve.`);
  const hubPorts = portsFromEnvironment([...availableServices(), GATEWAY]);
  await assertFixedPortsAreFree(hubPorts);
  const pastCycles = demoPastCycles();

  const stackStartedAtMs = performance.now();
  stack = await startLocalStack({
    ephemeral: false,
    dataDir,
    postgresPort: portFromEnvironment("POSTGRES_PORT", DEFAULT_POSTGRES_PORT),
    redisPort: portFromEnvironment("REDIS_PORT", DEFAULT_REDIS_PORT),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    output: "passthrough",
    signal: cancel.signal,
    postgresSettings: SMALL_POSTGRES_SETTINGS,
    supervision: {
      onCrash: (name, description) => {
        if (!isStopping)
          console.error(
            `\n${name} ended unexpectedly (${description}); the services answer SERVICE_UNAVAILABLE until it is back.`,
          );
      },
      onRestart,
      onRestarted: (name) => {
        if (!isStopping)
          console.error(`${name} is running again on the same data; the services reconnect by themselves.`);
      },
    },
  });
  const timings = [`Postgres and Redis ${secondsSince(stackStartedAtMs)} s`];

  const servicesStartedAtMs = performance.now();
  const tokenSecret = env.TOKEN_SECRET || (await readOrCreateTokenSecret(dataDir));
  const hubOptions: HubOptions = {
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.redisUrl,
    tokenSecret,
    ports: hubPorts,
    env,
    output: "passthrough",
    signal: cancel.signal,
    onUnexpectedExit,
    nodeFlags: SMALL_NODE_FLAGS,
    servicesInOneProcess: env.SERVICES_IN_ONE_PROCESS !== "false",
    restartOnCrash: true,
    onRestart,
  };
  const operatorKey = env.OPERATOR_KEY || undefined;

  let seed: SeedResult | undefined;
  // An empty hub gets past cycles of activity, on a clock the seed moves: a test clock, refused in
  // production, where the seed stays in the current cycle.
  // A hub already on a clock file of its own (a test's) keeps it, and is seeded in its current cycle.
  const canMoveClock = env.NODE_ENV !== "production" && !env.CLOCK_FILE;
  if (isSeedWanted() && canMoveClock && (await hasNoCircles(stack.databaseUrl))) {
    const demo = await startDemoHub({
      ...hubOptions,
      operatorKey,
      pastCycles,
      onHub: (running) => (hub = running),
      onSeeding: (pastCycles) =>
        console.log(
          `An empty hub: seeding the demo network with ${cyclesText(pastCycles)} of activity, on a clock moved through them (the services' output is shown only if one fails) ...`,
        ),
    });
    hub = demo.hub;
    seed = demo.seed;
    timings.push(...demo.timings);
  } else {
    hub = await startHub(hubOptions);
    timings.push(`services and gateway ${secondsSince(servicesStartedAtMs)} s`);
    if (isSeedWanted()) {
      const seedStartedAtMs = performance.now();
      seed = await seedDemoHub(hub, tokenSecret, { operatorKey });
      timings.push(`seed ${secondsSince(seedStartedAtMs)} s`);
    }
  }
  const gatewayUrl = hub.gatewayUrl!;
  printReady(gatewayUrl, seed);
  console.log(`Started in ${secondsSince(startedAtMs)} s (${timings.join(", ")}).`);
  const external = [env.DATABASE_URL && "DATABASE_URL", env.REDIS_URL && "REDIS_URL"].filter(Boolean);
  if (external.length > 0) console.log(`Using ${external.join(" and ")} from the environment.`);
  console.log(`Local data: ${dataDir}. Stop with Ctrl-C.`);
}

startup = main();
startup.catch((error: Error) => {
  if (isStopping) return; // a signal or a dead child is already stopping everything
  void stopAndExit(1, `\nRhizome could not start.\n${error.message}`);
});
