/**
 * Several services in one Node process, each on its own port with its own database schema, Redis
 * connection, queues and metrics, exactly as when each runs alone: `npm start` uses it so a
 * laptop loads the shared libraries once instead of once per service. Production runs one
 * process per service (services/<name>/dist/main.js).
 *
 * HOSTED_SERVICES names the services, in start order (comma-separated; those before a "|" start
 * first, one by one); each listens on its `<NAME>_PORT`.
 */
import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { loadServiceDefinition } from "./service-definitions.js";
import { serviceEnvironment, variablePrefix } from "./services.js";

function parseHosted(value: string | undefined): { first: string[]; rest: string[] } {
  const [first = "", rest = ""] = (value ?? "").includes("|") ? (value ?? "").split("|") : ["", value ?? ""];
  const names = (list: string) =>
    list
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean);
  return { first: names(first), rest: names(rest) };
}

const logger = createLogger("services");

runAsMain(async () => {
  const { first, rest } = parseHosted(process.env.HOSTED_SERVICES);
  if (first.length + rest.length === 0) throw new Error("HOSTED_SERVICES names no service.");
  const running: Array<{ stop(): Promise<void> }> = [];
  const start = async (name: string) => {
    const definition = await loadServiceDefinition(name);
    const port = process.env[`${variablePrefix(name)}_PORT`];
    if (!port) throw new Error(`${variablePrefix(name)}_PORT is not set for ${name}.`);
    const metricsPort = process.env[`${variablePrefix(name)}_METRICS_PORT`];
    const env = {
      ...process.env,
      ...serviceEnvironment(name, process.env),
      PORT: port,
      ...(metricsPort ? { METRICS_PORT: metricsPort } : {}),
    };
    running.push(await startService(definition, { env }));
  };
  const stopAll = async () => void (await Promise.all(running.map((service) => service.stop())));
  try {
    for (const name of first) await start(name);
    const failed = (await Promise.allSettled(rest.map(start))).find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { stop: stopAll };
}, logger);
