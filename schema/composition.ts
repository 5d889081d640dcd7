import { composeServices } from "@apollo/composition";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "graphql";
import { subgraphDefaultUrl, subgraphs } from "./subgraphs.js";

export const SUPERGRAPH_PATH = fileURLToPath(new URL("./supergraph.graphql", import.meta.url));
const PRINT_SDL = fileURLToPath(new URL("./print-sdl.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

async function subgraphSdl(name: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", PRINT_SDL, name], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, LOG_LEVEL: "silent" },
  });
  return stdout;
}

/** Composes the supergraph from every subgraph's SDL; throws with every composition error. */
export async function composeSupergraph(): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async ({ name, defaultPort }) => ({
      name,
      url: subgraphDefaultUrl(defaultPort),
      typeDefs: parse(await subgraphSdl(name)),
    })),
  );
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join("\n")}`);
  }
  return `${result.supergraphSdl.trim()}\n`;
}

export async function committedSupergraph(): Promise<string> {
  return readFile(SUPERGRAPH_PATH, "utf8");
}
