import { describe, expect, it } from "vitest";
import { baseConfigSchema, ConfigError, loadConfig, portSetting } from "../src/runtime/config.js";
import { cycleJobConcurrencyFor } from "../src/jobs/cycles.js";

const schema = baseConfigSchema.extend({ PORT: portSetting(4001) });
const valid = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/rhizome",
  REDIS_URL: "redis://127.0.0.1:6379",
  TOKEN_SECRET: "a-secret-of-this-hub-only-0123456789abcdef",
};

describe("configuration", () => {
  it("reads settings from the environment and fills in defaults", () => {
    const config = loadConfig(schema, { ...valid, PORT: "4100" });
    expect(config.PORT).toBe(4100);
    expect(config.ROLE).toBe("all");
    expect(config.METRICS_PORT).toBe(0);
  });

  it("stops with a message naming the variable and what is wrong when a value is wrong, never the value", () => {
    expect(() => loadConfig(schema, { ...valid, PORT: "eighty" })).toThrowError(/PORT is invalid/);
    expect(() => loadConfig(schema, { ...valid, ROLE: "boss" })).toThrowError(/ROLE is invalid/);
    expect(() => loadConfig(schema, { ...valid, DATABASE_URL: "mysql://x" })).toThrowError(
      /DATABASE_URL is invalid: must be a postgres:\/\/ URL/,
    );
    for (const [variable, value] of [
      ["PORT", "eighty"],
      ["ROLE", "boss"],
      ["DATABASE_URL", "postgres://u:hunter2@db host/x"],
      ["REDIS_URL", "redis://:hunter2@ host"],
      ["TOKEN_SECRET", "hunter2-too-short"],
    ]) {
      const error = (() => {
        try {
          loadConfig(schema, { ...valid, [variable]: value });
        } catch (thrown) {
          return thrown as Error;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error!.message).toContain(`${variable} is invalid`);
      expect(error!.message).not.toContain(value);
      expect(error!.message).not.toContain("hunter2");
    }
    expect(() => loadConfig(schema, { REDIS_URL: valid.REDIS_URL, TOKEN_SECRET: valid.TOKEN_SECRET })).toThrowError(
      /DATABASE_URL is required/,
    );
  });

  it("starts with no token secret it was not given, in any mode, and never with the once-published default", () => {
    for (const NODE_ENV of ["development", "test", "production"]) {
      expect(() => loadConfig(schema, { ...valid, NODE_ENV, TOKEN_SECRET: undefined })).toThrowError(
        /TOKEN_SECRET is required: sign tokens with a secret of your own/,
      );
      expect(() =>
        loadConfig(schema, { ...valid, NODE_ENV, TOKEN_SECRET: "rhizome-development-secret-change-me-in-production" }),
      ).toThrowError(/published default/);
    }
    expect(() => loadConfig(schema, { ...valid, TOKEN_SECRET: "short" })).toThrowError(/at least 32 characters/);
    expect(loadConfig(schema, { ...valid, NODE_ENV: "production" }).NODE_ENV).toBe("production");
  });
});

describe("how many cycle jobs a worker runs at once", () => {
  it("is by default what the database pool leaves to requests, at most two, and a setting can say otherwise", () => {
    expect(cycleJobConcurrencyFor(10)).toBe(2);
    expect(cycleJobConcurrencyFor(40)).toBe(2);
    expect(cycleJobConcurrencyFor(3)).toBe(1);
    expect(cycleJobConcurrencyFor(2)).toBe(1);
    const config = loadConfig(schema, { ...valid, DATABASE_POOL_SIZE: "20", CYCLE_JOB_CONCURRENCY: "16" });
    expect([config.DATABASE_POOL_SIZE, config.CYCLE_JOB_CONCURRENCY]).toEqual([20, 16]);
    const defaults = loadConfig(schema, valid);
    expect([defaults.DATABASE_POOL_SIZE, defaults.CYCLE_JOB_CONCURRENCY]).toEqual([10, undefined]);
    expect(() => loadConfig(schema, { ...valid, CYCLE_JOB_CONCURRENCY: "0" })).toThrowError(
      /CYCLE_JOB_CONCURRENCY is invalid/,
    );
    expect(loadConfig(schema, { ...valid, CYCLE_JOB_PACE: "0.5" }).CYCLE_JOB_PACE).toBe(0.5);
    expect(defaults.CYCLE_JOB_PACE).toBeUndefined();
    expect(() => loadConfig(schema, { ...valid, CYCLE_JOB_PACE: "-1" })).toThrowError(/CYCLE_JOB_PACE is invalid/);
    expect(() => loadConfig(schema, { ...valid, DATABASE_POOL_SIZE: "many" })).toThrowError(
      /DATABASE_POOL_SIZE is invalid/,
    );
  });
});

describe("how long an idle database connection stays open", () => {
  it("is five minutes unless DATABASE_IDLE_TIMEOUT_MS says otherwise, and nonsense is refused by name", () => {
    expect(loadConfig(schema, valid).DATABASE_IDLE_TIMEOUT_MS).toBe(300_000);
    expect(loadConfig(schema, { ...valid, DATABASE_IDLE_TIMEOUT_MS: "60000" }).DATABASE_IDLE_TIMEOUT_MS).toBe(60_000);
    for (const nonsense of ["soon", "-1", "0", "999", "1.5", "3600001"])
      expect(() => loadConfig(schema, { ...valid, DATABASE_IDLE_TIMEOUT_MS: nonsense })).toThrowError(
        /DATABASE_IDLE_TIMEOUT_MS is invalid/,
      );
  });
});
