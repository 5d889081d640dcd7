import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../src/runtime/clock.js";
import { clockOfSettings } from "../src/runtime/clock-file.js";
import { baseConfigSchema, ConfigError, loadConfig } from "../src/runtime/config.js";

const valid = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/rhizome",
  REDIS_URL: "redis://127.0.0.1:6379",
  TOKEN_SECRET: "a-secret-of-this-hub-only-0123456789abcdef",
};

describe("a process clock read from CLOCK_FILE", () => {
  let folder: string;
  let file: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), "rhizome-clock-"));
    file = path.join(folder, "clock");
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("reads the instant in the file at every read, so a test moves every process at once", async () => {
    await writeFile(file, "2031-03-04T05:06:07.000Z\n");
    const clock = clockOfSettings(loadConfig(baseConfigSchema, { ...valid, NODE_ENV: "test", CLOCK_FILE: file }));
    expect(clock().toISOString()).toBe("2031-03-04T05:06:07.000Z");
    await writeFile(`${file}.next`, "2031-04-01T00:00:00.000Z");
    await rename(`${file}.next`, file);
    expect(clock().toISOString()).toBe("2031-04-01T00:00:00.000Z");
    await writeFile(file, "next tuesday");
    expect(() => clock()).toThrowError(/holds "next tuesday", not an instant/);
  });

  it("is refused in production, and the system clock is used when it is not set", () => {
    expect(() =>
      clockOfSettings(loadConfig(baseConfigSchema, { ...valid, NODE_ENV: "production", CLOCK_FILE: file })),
    ).toThrowError(ConfigError);
    expect(() =>
      clockOfSettings(loadConfig(baseConfigSchema, { ...valid, NODE_ENV: "production", CLOCK_FILE: file })),
    ).toThrowError(/CLOCK_FILE is for tests/);
    expect(clockOfSettings(loadConfig(baseConfigSchema, { ...valid, NODE_ENV: "production" }))).toBe(systemClock);
  });
});
