import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePorts, GATEWAY_PROCESS, portVariable, REPO_ROOT, SERVICES } from "@rhizome/infra";
import { describe, expect, inject, it } from "vitest";

const EXIT_TIMEOUT_MS = 90_000;
/** Any run of this many characters of a secret found in the output counts as printing it. */
const PIECE_CHARS = 6;

/** Letters only, so that no piece of it can turn up in a log line by chance (timestamps, ids, hex). */
function secretLetters(length: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** A defense master key in base64 that, unlike random base64, has no digits or symbols in it. */
const masterKeyText = (length = 44) => secretLetters(length - 1) + "=";

function piecesOf(secret: string): string[] {
  return Array.from({ length: Math.max(1, secret.length - PIECE_CHARS + 1) }, (_, i) =>
    secret.slice(i, i + PIECE_CHARS),
  );
}

function expectNoPartOf(output: string, secrets: string[]): void {
  for (const secret of secrets) {
    const shown = piecesOf(secret).filter((piece) => output.includes(piece));
    expect(shown, `a part of a secret was printed:\n${output}`).toEqual([]);
  }
}

/** Runs a compiled entry point (as `npm start` and the deployments do) until it exits; returns what it printed. */
async function runUntilExit(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once("close", (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

const validSecret = () => secretLetters(40);
const unreachable = { NETWORK_URL: "http://127.0.0.1:9", REDIS_URL: "redis://127.0.0.1:9" };

describe("a bad configuration value", () => {
  it(
    "stops a service naming the variable, without printing a short TOKEN_SECRET",
    async () => {
      const secret = secretLetters(20);
      const run = await runUntilExit("services/barter/dist/main.js", {
        ...unreachable,
        TOKEN_SECRET: secret,
        DATABASE_URL: "postgres://rhizome@127.0.0.1:9/rhizome",
      });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/TOKEN_SECRET is invalid: must be at least 32 characters/);
      expectNoPartOf(run.output, [secret]);
    },
    EXIT_TIMEOUT_MS,
  );

  it(
    "stops a service naming DATABASE_URL, without printing its password",
    async () => {
      const password = secretLetters(16);
      const run = await runUntilExit("services/barter/dist/main.js", {
        ...unreachable,
        TOKEN_SECRET: validSecret(),
        DATABASE_URL: `postgres://rhizome:${password}@db host:5432/rhizome`,
      });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/DATABASE_URL is invalid/);
      expectNoPartOf(run.output, [password]);
    },
    EXIT_TIMEOUT_MS,
  );

  it(
    "stops defense naming DEFENSE_MASTER_KEYS and which key is wrong, without printing any master key",
    async () => {
      const good = masterKeyText();
      const short = masterKeyText(24);
      // A key written before its id (id and key swapped) must not come back as "the id".
      const swapped = secretLetters(32);
      const cases = [
        {
          keys: `current:${good},older:${short}`,
          problem: /DEFENSE_MASTER_KEYS is invalid: master key 2 must be 32 bytes/,
        },
        {
          keys: `current:${good},${swapped}:older`,
          problem: /DEFENSE_MASTER_KEYS is invalid: master key 2 must be 32 bytes/,
        },
      ];
      for (const { keys, problem } of cases) {
        const run = await runUntilExit("services/defense/dist/main.js", {
          ...unreachable,
          TOKEN_SECRET: validSecret(),
          DATABASE_URL: "postgres://rhizome@127.0.0.1:9/rhizome",
          DEFENSE_MASTER_KEYS: keys,
        });
        expect(run.code).toBe(1);
        expect(run.output).toMatch(problem);
        expectNoPartOf(run.output, [good, short, swapped]);
      }
    },
    2 * EXIT_TIMEOUT_MS,
  );

  it(
    "stops the gateway naming TOKEN_SECRET and OPERATOR_KEY, printing neither",
    async () => {
      const secret = secretLetters(20);
      const operatorKey = secretLetters(12);
      const run = await runUntilExit("gateway/dist/main.js", {
        TOKEN_SECRET: secret,
        OPERATOR_KEY: operatorKey,
        PORT: "0",
        METRICS_PORT: "0",
      });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/TOKEN_SECRET is invalid/);
      expect(run.output).toMatch(/OPERATOR_KEY is invalid/);
      expectNoPartOf(run.output, [secret, operatorKey]);
    },
    EXIT_TIMEOUT_MS,
  );

  it(
    "stops the migration job naming DATABASE_URL, without printing its password",
    async () => {
      const password = secretLetters(16);
      const run = await runUntilExit("infra/dist/migrate.js", {
        DATABASE_URL: `postgres://rhizome:${password}@db host/rhizome`,
      });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/DATABASE_URL is invalid/);
      expectNoPartOf(run.output, [password]);
    },
    EXIT_TIMEOUT_MS,
  );

  it(
    "stops npm start's launcher naming DATABASE_URL and TOKEN_SECRET, printing neither",
    async () => {
      const password = secretLetters(16);
      const secret = secretLetters(20);
      const dataDir = await mkdtemp(path.join(os.tmpdir(), "rhizome-bad-config-"));
      await chmod(dataDir, 0o755);
      try {
        const definitions = [...SERVICES, GATEWAY_PROCESS];
        const ports = await findFreePorts(definitions.length);
        const run = await runUntilExit("infra/dist/start.js", {
          DATA_DIR: dataDir,
          SEED: "false",
          DATABASE_URL: `postgres://rhizome:${password}@db host/rhizome`,
          REDIS_URL: inject("redisUrl"),
          TOKEN_SECRET: secret,
          ...Object.fromEntries(definitions.map((definition, i) => [portVariable(definition), String(ports[i])])),
        });
        expect(run.code).toBe(1);
        expect(run.output).toMatch(/DATABASE_URL is invalid/);
        expect(run.output).toMatch(/TOKEN_SECRET is invalid/);
        expectNoPartOf(run.output, [password, secret]);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    EXIT_TIMEOUT_MS,
  );
});
