import { describe, expect, it } from "vitest";
import { baseConfigSchema, ConfigError, DEVELOPMENT_TOKEN_SECRET, loadConfig, portSetting } from "../src/config.js";

const schema = baseConfigSchema.extend({ PORT: portSetting(4001) });
const valid = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/rhizome", REDIS_URL: "redis://127.0.0.1:6379" };

describe("configuration", () => {
  it("reads settings from the environment and fills in defaults", () => {
    const config = loadConfig(schema, { ...valid, PORT: "4100" });
    expect(config.PORT).toBe(4100);
    expect(config.ROLE).toBe("all");
    expect(config.TOKEN_SECRET).toBe(DEVELOPMENT_TOKEN_SECRET);
  });

  it("stops with a message naming the variable when a value is wrong", () => {
    expect(() => loadConfig(schema, { ...valid, PORT: "eighty" })).toThrowError(/PORT="eighty" is invalid/);
    expect(() => loadConfig(schema, { ...valid, ROLE: "boss" })).toThrowError(/ROLE="boss" is invalid/);
    expect(() => loadConfig(schema, { ...valid, DATABASE_URL: "mysql://x" })).toThrowError(ConfigError);
    expect(() => loadConfig(schema, { REDIS_URL: valid.REDIS_URL })).toThrowError(/DATABASE_URL is required/);
  });

  it("refuses the development token secret in production", () => {
    expect(() => loadConfig(schema, { ...valid, NODE_ENV: "production" })).toThrowError(/TOKEN_SECRET must be set/);
    expect(loadConfig(schema, { ...valid, NODE_ENV: "production", TOKEN_SECRET: "x".repeat(40) }).NODE_ENV).toBe("production");
  });
});
