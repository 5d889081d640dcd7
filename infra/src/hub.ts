import { refreshStaleOutputs } from "./build.js";
import { describeUnexpectedExit, spawnManaged, type ManagedProcess, type ProcessExit } from "./child-processes.js";
import { findFreePorts, LOOPBACK_HOST } from "./free-port.js";
import type { OutputMode } from "./process-output.js";
import { GATEWAY_STARTED_PATH, waitUntilReady } from "./readiness.js";
import { REPO_ROOT } from "./repo-paths.js";
import {
  availableGateway,
  availableServices,
  compiledEntryPath,
  portFromEnvironment,
  portVariable,
  serviceEnvironment,
  SERVICES_HOST,
  variablePrefix,
  type ProcessDefinition,
  type ServiceDefinition,
} from "./services.js";
import { once, throwIfAborted } from "./timing.js";
import { RESTART_RESET_AFTER_MS, restartDelayMs } from "./restart-backoff.js";

export interface HubOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Shared by every process: tokens signed by one are accepted by all. At least 32 characters. */
  tokenSecret: string;
  /** "free" (default) asks the OS for free ports; otherwise a port per process name. */
  ports?: "free" | Record<string, number>;
  /** Passed through to every process (e.g. OPERATOR_KEY); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default: env.NODE_ENV, else "development". */
  nodeEnv?: "development" | "test" | "production";
  /** Default: env.LOG_LEVEL, else "info". */
  logLevel?: string;
  /** Default "tail": output is kept and shown only when a process fails. */
  output?: OutputMode;
  /** Sees every line every process writes, as written. */
  onOutputLine?: (processName: string, line: string) => void;
  /** Default: every service in SERVICES whose entry file exists. */
  services?: readonly ServiceDefinition[];
  /** Default: GATEWAY when its entry file exists; null for none. */
  gateway?: ProcessDefinition | null;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called when a process ends on its own after start-up. Default: print its output tail to stderr. */
  onUnexpectedExit?: (process: ManagedProcess, exit: ProcessExit) => void;
  /**
   * Run every service in one process (infra's services host) instead of one process each: what
   * `npm start` does to stay small. Each service keeps its own port. Default false.
   */
  servicesInOneProcess?: boolean;
  /** Flags for node before each process's entry file, e.g. SMALL_NODE_FLAGS. */
  nodeFlags?: readonly string[];
  /** Start a process that ends on its own after start-up again, after restartDelayMs (`npm start`). Default false. */
  restartOnCrash?: boolean;
  /** Called when a crashed process is about to be started again. */
  onRestart?: (name: string, delayMs: number) => void;
}

/** For a hub on a laptop: a young generation of 1 MB instead of 16, at a small cost in garbage collections. */
export const SMALL_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=1"];

export {
  RESTART_FIRST_DELAY_MS,
  RESTART_MAX_DELAY_MS,
  RESTART_RESET_AFTER_MS,
  restartDelayMs,
} from "./restart-backoff.js";

export interface RunningHub {
  /** The gateway's GraphQL endpoint, `http://127.0.0.1:<port>/graphql`; undefined without a gateway. */
  gatewayUrl: string | undefined;
  /** Each service's base URL, `http://127.0.0.1:<port>` (append /graphql, /ready). */
  serviceUrls: Record<string, string>;
  /** Each process's metrics, on a port of its own (METRICS_PORT): `http://127.0.0.1:<port>/metrics`, by name (gateway included). */
  metricsUrls: Record<string, string>;
  /** The processes running now (a restarted process takes its predecessor's place). */
  processes: ManagedProcess[];
  /** Stops every process (SIGTERM, then SIGKILL after a timeout). */
  stop(): Promise<void>;
}

function reportUnexpectedExit(process: ManagedProcess): void {
  console.error(`\n${describeUnexpectedExit(process, "exited unexpectedly")}\n`);
}

async function assignPorts(
  definitions: readonly ProcessDefinition[],
  ports: HubOptions["ports"],
): Promise<Record<string, number>> {
  if (ports === undefined || ports === "free") {
    const free = await findFreePorts(definitions.length);
    return Object.fromEntries(definitions.map((definition, i) => [definition.name, free[i]]));
  }
  return Object.fromEntries(
    definitions.map((definition) => [definition.name, ports[definition.name] ?? definition.defaultPort]),
  );
}

/** Each process's METRICS_PORT: `<NAME>_METRICS_PORT` when set, else a free port. */
async function assignMetricsPorts(
  definitions: readonly ProcessDefinition[],
  taken: Record<string, number>,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, number>> {
  const takenPorts = new Set(Object.values(taken));
  const free = (await findFreePorts(definitions.length * 2)).filter((port) => !takenPorts.has(port));
  return Object.fromEntries(
    definitions.map((definition, i) => [
      definition.name,
      portFromEnvironment(`${variablePrefix(definition.name)}_METRICS_PORT`, free[i], env),
    ]),
  );
}

/**
 * Starts the services and the gateway: the gateway at once, alongside the services that start
 * first (network), then the other services in parallel. If anything fails
 * to become ready, everything started so far is stopped and the error names the process and shows
 * the tail of its output.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  // The processes run compiled JavaScript: recompile whatever changed since the last build first.
  await refreshStaleOutputs();
  const env = options.env ?? process.env;
  const services = options.services ?? availableServices();
  const gateway = options.gateway === undefined ? availableGateway() : (options.gateway ?? undefined);
  const processDefinitions = gateway ? [...services, gateway] : services;
  const ports = await assignPorts(processDefinitions, options.ports);
  const metricsPorts = await assignMetricsPorts(processDefinitions, ports, env);
  const baseUrlOf = (definition: ProcessDefinition) => `http://${LOOPBACK_HOST}:${ports[definition.name]}`;
  const serviceUrls = Object.fromEntries(services.map((service) => [service.name, baseUrlOf(service)]));

  const sharedEnv: NodeJS.ProcessEnv = {
    ...env,
    HOST: LOOPBACK_HOST,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    TOKEN_SECRET: options.tokenSecret,
    NODE_ENV: options.nodeEnv ?? env.NODE_ENV ?? "development",
    LOG_LEVEL: options.logLevel ?? env.LOG_LEVEL ?? "info",
    ROLE: "all",
    // Every process can reach every service: NETWORK_URL, BARTER_URL, ...
    ...Object.fromEntries(services.map((service) => [`${variablePrefix(service.name)}_URL`, baseUrlOf(service)])),
  };
  const subgraphUrls = Object.fromEntries(
    services.map((service) => [`${variablePrefix(service.name)}_SUBGRAPH_URL`, `${baseUrlOf(service)}/graphql`]),
  );

  const processes: ManagedProcess[] = [];
  let isRunning = false;
  let isStopping = false;
  const onUnexpectedExit = options.onUnexpectedExit ?? reportUnexpectedExit;
  const restarts = new Set<NodeJS.Timeout>();
  const stop = once(async () => {
    isStopping = true;
    for (const timer of restarts) clearTimeout(timer);
    await Promise.all(processes.map((child) => child.stop()));
  });

  const spawnProcess = (definition: ProcessDefinition, extraEnv: NodeJS.ProcessEnv) =>
    spawnManaged(definition.name, {
      command: process.execPath,
      args: [...(options.nodeFlags ?? []), compiledEntryPath(definition)],
      cwd: REPO_ROOT,
      env: {
        ...sharedEnv,
        ...serviceEnvironment(definition.name, env),
        ...extraEnv,
        ...(ports[definition.name] === undefined ? {} : { PORT: String(ports[definition.name]) }),
        ...(metricsPorts[definition.name] === undefined ? {} : { METRICS_PORT: String(metricsPorts[definition.name]) }),
      },
      output: options.output ?? "tail",
      onLine: options.onOutputLine && ((line) => options.onOutputLine!(definition.name, line)),
    });

  // Watches the process in processes[slot]; once the hub runs, a crash is reported and, if asked, restarted.
  const supervise = (
    definition: ProcessDefinition,
    extraEnv: NodeJS.ProcessEnv,
    slot: number,
    crashesBefore: number,
  ) => {
    const child = processes[slot];
    const startedAtMs = performance.now();
    void child.exited.then((exit) => {
      if (!isRunning || isStopping || child.isStopping) return;
      onUnexpectedExit(child, exit);
      if (!options.restartOnCrash) return;
      const crashesInARow = performance.now() - startedAtMs > RESTART_RESET_AFTER_MS ? 1 : crashesBefore + 1;
      const delayMs = restartDelayMs(crashesInARow);
      options.onRestart?.(definition.name, delayMs);
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (isStopping) return;
        processes[slot] = spawnProcess(definition, extraEnv);
        supervise(definition, extraEnv, slot, crashesInARow);
      }, delayMs);
      restarts.add(timer);
    });
  };

  /** Starts a process and waits until each of the given processes it serves answers /ready. */
  const launch = async (
    definition: ProcessDefinition,
    extraEnv: NodeJS.ProcessEnv = {},
    serves: readonly ProcessDefinition[] = [definition],
  ) => {
    throwIfAborted(options.signal);
    const child = spawnProcess(definition, extraEnv);
    processes.push(child);
    supervise(definition, extraEnv, processes.length - 1, 0);
    const path = definition === gateway ? GATEWAY_STARTED_PATH : undefined;
    for (const served of serves)
      await waitUntilReady(child, baseUrlOf(served), {
        timeoutMs: options.readyTimeoutMs,
        signal: options.signal,
        path,
      });
  };

  try {
    const first = services.filter((s) => s.startsFirst);
    const rest = services.filter((s) => !s.startsFirst);
    // The gateway reads the committed supergraph and needs no subgraph to start, so it loads
    // alongside the services: its import is the slowest part of start-up.
    const startServices = async () => {
      if (options.servicesInOneProcess) {
        const hosted = `${first.map((s) => s.name).join(",")}|${rest.map((s) => s.name).join(",")}`;
        const servicePorts = Object.fromEntries(
          services.flatMap((s) => [
            [portVariable(s), String(ports[s.name])],
            [`${variablePrefix(s.name)}_METRICS_PORT`, String(metricsPorts[s.name])],
          ]),
        );
        await launch(SERVICES_HOST, { ...servicePorts, HOSTED_SERVICES: hosted }, [...first, ...rest]);
        return;
      }
      for (const service of first) await launch(service);
      await Promise.all(rest.map((service) => launch(service)));
    };
    await Promise.all([startServices(), gateway ? launch(gateway, subgraphUrls) : undefined]);
    const dead = processes.find((child) => child.hasExited);
    if (dead) throw new Error(describeUnexpectedExit(dead, "exited during start-up"));
    throwIfAborted(options.signal);
  } catch (error) {
    await stop();
    throw error;
  }
  isRunning = true;
  const metricsUrls = Object.fromEntries(
    processDefinitions.map((definition) => [
      definition.name,
      `http://${LOOPBACK_HOST}:${metricsPorts[definition.name]}/metrics`,
    ]),
  );
  return {
    gatewayUrl: gateway ? `${baseUrlOf(gateway)}/graphql` : undefined,
    serviceUrls,
    metricsUrls,
    processes,
    stop,
  };
}
