import { refreshStaleOutputs } from "./build.js";
import { spawnManaged, type ManagedProcess } from "./child-processes.js";
import { findFreePorts, LOOPBACK_HOST } from "./free-port.js";
import { SMALL_NODE_FLAGS } from "./hub.js";
import type { OutputMode } from "./process-output.js";
import { GATEWAY_STARTED_PATH, waitUntilReady } from "./readiness.js";
import { REPO_ROOT } from "./repo-paths.js";
import {
  availableGateway,
  availableServices,
  compiledEntryPath,
  SERVICES_HOST,
  variablePrefix,
  type ProcessDefinition,
} from "./services.js";
import { once } from "./timing.js";

/**
 * The hub scaled out on one machine, as a cluster runs it: every service in `apiProcesses` processes
 * that serve only requests (ROLE=api) and `workerProcesses` that run only queue workers, event
 * consumers and cycle jobs (ROLE=worker), all against one Postgres and one Redis, and a gateway.
 * Each process hosts every service (infra's services host), each service on its own port, so a
 * process stands for one replica of each service's deployment while the machine runs few processes.
 */
export interface ScaledHubOptions {
  databaseUrl: string;
  redisUrl: string;
  tokenSecret: string;
  apiProcesses: number;
  workerProcesses: number;
  /** Passed to every service process (e.g. CLOCK_FILE, QUEUE_LOCK_DURATION_MS) and to the gateway. */
  env?: NodeJS.ProcessEnv;
  /** Default "test". */
  nodeEnv?: "development" | "test" | "production";
  /** Default "warn". */
  logLevel?: string;
  /** Default "tail": output is kept and shown only when a process fails. */
  output?: OutputMode;
  readyTimeoutMs?: number;
}

export interface ScaledProcess {
  role: "api" | "worker" | "gateway";
  /** e.g. "api-1", "worker-2". */
  name: string;
  process: ManagedProcess;
  /** Each hosted service's base URL in this process (append /graphql, /ready). */
  serviceUrls: Record<string, string>;
}

export interface ScaledHub {
  /** The gateway's GraphQL endpoint; subgraph N is reached through API process N modulo their count. */
  gatewayUrl: string;
  apis: ScaledProcess[];
  workers: ScaledProcess[];
  gateway: ScaledProcess;
  /** Stops every process still running (SIGTERM, then SIGKILL after a timeout). */
  stop(): Promise<void>;
}

export async function startScaledHub(options: ScaledHubOptions): Promise<ScaledHub> {
  if (options.apiProcesses < 1 || options.workerProcesses < 1)
    throw new Error("A scaled hub needs at least one API and one worker process.");
  await refreshStaleOutputs();
  const services = availableServices();
  const gatewayDefinition = availableGateway();
  if (!gatewayDefinition) throw new Error("The gateway's entry file does not exist: nothing to route requests.");
  const count = options.apiProcesses + options.workerProcesses;
  // Metrics ports too: a process left to pick its own (port 0) could take one handed to another.
  const ports = await findFreePorts(2 * (count * services.length + 1));
  const metricsPortOf = (slot: number, serviceIndex: number) =>
    String(ports[count * services.length + 1 + slot * services.length + serviceIndex]);
  const urlsOf = (slot: number) =>
    Object.fromEntries(
      services.map((service, i) => [service.name, `http://${LOOPBACK_HOST}:${ports[slot * services.length + i]}`]),
    );
  const slots = Array.from({ length: count }, (_, slot) => ({
    role: slot < options.apiProcesses ? ("api" as const) : ("worker" as const),
    name: slot < options.apiProcesses ? `api-${slot + 1}` : `worker-${slot - options.apiProcesses + 1}`,
    serviceUrls: urlsOf(slot),
  }));
  const apiSlots = slots.slice(0, options.apiProcesses);
  // Service N is reached through API process N modulo their count: by the gateway, and by workers reading event feeds.
  const apiOf = (serviceIndex: number, offset = 0) => apiSlots[(serviceIndex + offset) % apiSlots.length];

  const env = options.env ?? {};
  const shared: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    HOST: LOOPBACK_HOST,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    TOKEN_SECRET: options.tokenSecret,
    NODE_ENV: options.nodeEnv ?? "test",
    LOG_LEVEL: options.logLevel ?? "warn",
  };
  delete shared.PORT;
  delete shared.METRICS_PORT;
  const processes: ManagedProcess[] = [];
  const stop = once(async () => void (await Promise.all(processes.map((child) => child.stop()))));

  const spawn = (definition: ProcessDefinition, name: string, processEnv: NodeJS.ProcessEnv) => {
    const child = spawnManaged(name, {
      command: process.execPath,
      args: [...SMALL_NODE_FLAGS, compiledEntryPath(definition)],
      cwd: REPO_ROOT,
      env: processEnv,
      output: options.output ?? "tail",
    });
    processes.push(child);
    return child;
  };

  const first = services.filter((s) => s.startsFirst).map((s) => s.name);
  const rest = services.filter((s) => !s.startsFirst).map((s) => s.name);
  const startServices = async (slot: (typeof slots)[number], slotIndex: number): Promise<ScaledProcess> => {
    const child = spawn(SERVICES_HOST, slot.name, {
      ...shared,
      ROLE: slot.role,
      HOSTED_SERVICES: `${first.join(",")}|${rest.join(",")}`,
      ...Object.fromEntries(
        services.map((service) => [
          `${variablePrefix(service.name)}_PORT`,
          new URL(slot.serviceUrls[service.name]).port,
        ]),
      ),
      ...Object.fromEntries(
        services.map((service, i) => [`${variablePrefix(service.name)}_METRICS_PORT`, metricsPortOf(slotIndex, i)]),
      ),
      // An API process asks its own services (network for API keys); a worker reads each producer's feed from an API process.
      ...Object.fromEntries(
        services.map((service, i) => [
          `${variablePrefix(service.name)}_URL`,
          slot.role === "api" ? slot.serviceUrls[service.name] : apiOf(i, slotIndex).serviceUrls[service.name],
        ]),
      ),
    });
    for (const service of services)
      await waitUntilReady(child, slot.serviceUrls[service.name], { timeoutMs: options.readyTimeoutMs });
    return { ...slot, process: child };
  };

  const gatewayPort = ports[count * services.length];
  const startGateway = async (): Promise<ScaledProcess> => {
    const child = spawn(gatewayDefinition, "gateway", {
      ...shared,
      PORT: String(gatewayPort),
      METRICS_PORT: String(ports[ports.length - 1]),
      ...Object.fromEntries(
        services.map((service, i) => [`${variablePrefix(service.name)}_URL`, apiOf(i).serviceUrls[service.name]]),
      ),
      ...Object.fromEntries(
        services.map((service, i) => [
          `${variablePrefix(service.name)}_SUBGRAPH_URL`,
          `${apiOf(i).serviceUrls[service.name]}/graphql`,
        ]),
      ),
    });
    const baseUrl = `http://${LOOPBACK_HOST}:${gatewayPort}`;
    await waitUntilReady(child, baseUrl, { timeoutMs: options.readyTimeoutMs, path: GATEWAY_STARTED_PATH });
    return { role: "gateway", name: "gateway", process: child, serviceUrls: {} };
  };

  try {
    // The first API process migrates every schema; the others then find nothing pending.
    const [firstApi, gateway] = await Promise.all([startServices(slots[0], 0), startGateway()]);
    const others = await Promise.all(slots.slice(1).map((slot, i) => startServices(slot, i + 1)));
    const started = [firstApi, ...others];
    return {
      gatewayUrl: `http://${LOOPBACK_HOST}:${gatewayPort}/graphql`,
      apis: started.filter((p) => p.role === "api"),
      workers: started.filter((p) => p.role === "worker"),
      gateway,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
