import { existsSync } from "node:fs";
import path from "node:path";
import { outputOf } from "./build.js";
import { REPO_ROOT } from "./repo-paths.js";

/** A process of the hub, run as `node <workspace>/dist/main.js`, compiled from its entry file. */
export interface ProcessDefinition {
  /** Lower case; in upper case it prefixes the process's variables: NETWORK_PORT, NETWORK_URL, NETWORK_SUBGRAPH_URL. */
  name: string;
  /** The TypeScript entry file, relative to the repository root (or absolute); its JavaScript is under dist/. */
  entry: string;
  defaultPort: number;
}

export interface ServiceDefinition extends ProcessDefinition {
  /** Started and ready before the other services, which may need what it creates. */
  startsFirst: boolean;
}

/** Every subgraph service of the hub. To add one, add a line here. */
export const SERVICES: readonly ServiceDefinition[] = [
  { name: "network", entry: "services/network/src/main.ts", defaultPort: 4001, startsFirst: true },
  { name: "barter", entry: "services/barter/src/main.ts", defaultPort: 4002, startsFirst: false },
  { name: "tools", entry: "services/tools/src/main.ts", defaultPort: 4003, startsFirst: false },
  { name: "governance", entry: "services/governance/src/main.ts", defaultPort: 4004, startsFirst: false },
  { name: "defense", entry: "services/defense/src/main.ts", defaultPort: 4005, startsFirst: false },
  { name: "sovereignty", entry: "services/sovereignty/src/main.ts", defaultPort: 4006, startsFirst: false },
];

export const GATEWAY: ProcessDefinition = { name: "gateway", entry: "gateway/src/main.ts", defaultPort: 4000 };

/** The process that runs several services at once (`npm start`); see services-host.ts. */
export const SERVICES_HOST: ProcessDefinition = {
  name: "services",
  entry: "infra/src/services-host.ts",
  defaultPort: 0,
};

export function entryPath(definition: ProcessDefinition): string {
  return path.resolve(REPO_ROOT, definition.entry);
}

/** The compiled entry the process runs: `services/barter/src/main.ts` → `services/barter/dist/main.js`. */
export function compiledEntryPath(definition: ProcessDefinition): string {
  return outputOf(entryPath(definition));
}

export function hasEntry(definition: ProcessDefinition): boolean {
  return existsSync(entryPath(definition));
}

/** The services whose entry file exists; a service still being written is left out. */
export function availableServices(): ServiceDefinition[] {
  return SERVICES.filter(hasEntry);
}

export function availableGateway(): ProcessDefinition | undefined {
  return hasEntry(GATEWAY) ? GATEWAY : undefined;
}

export function variablePrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

export function portVariable(definition: ProcessDefinition): string {
  return `${variablePrefix(definition.name)}_PORT`;
}

/** Each process's port: its `<NAME>_PORT` variable if set, else its default port. */
export function portsFromEnvironment(
  definitions: readonly ProcessDefinition[],
  env: NodeJS.ProcessEnv = process.env,
): Record<string, number> {
  return Object.fromEntries(
    definitions.map((definition) => [
      definition.name,
      portFromEnvironment(portVariable(definition), definition.defaultPort, env),
    ]),
  );
}

export const MAX_PORT = 65_535;

export function portFromEnvironment(
  variable: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const given = env[variable];
  if (given === undefined || given === "") return defaultPort;
  const port = Number(given);
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
    throw new Error(`${variable} is not a port: use a whole number from 1 to ${MAX_PORT}.`);
  }
  return port;
}

/** Settings a service can be given on its own, `<NAME>_<SETTING>`, over the hub-wide one. */
export const PER_SERVICE_SETTINGS = ["DATABASE_URL", "MIGRATION_DATABASE_URL"] as const;

/** A service's own database settings, e.g. BARTER_DATABASE_URL as barter's DATABASE_URL. */
export function serviceEnvironment(name: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    PER_SERVICE_SETTINGS.flatMap((setting) => {
      const value = env[`${variablePrefix(name)}_${setting}`];
      return value ? [[setting, value]] : [];
    }),
  );
}
