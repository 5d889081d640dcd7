import { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEVELOPMENT_TOKEN_SECRET = "rhizome-development-secret-change-me-in-production";

// 0 asks the operating system for any free port.
const port = z.coerce.number().int().min(0).max(65535);

/** `run` (default): migrate at start-up, one process at a time; `check`: refuse to start while any is pending (a migration job runs them). */
export const migrationModes = ["run", "check"] as const;
export type MigrationMode = (typeof migrationModes)[number];

export const processRoles = ["api", "worker", "all"] as const;
export type ProcessRole = (typeof processRoles)[number];

/** Settings every service process reads. Each service extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.string().url().refine((u) => /^postgres(ql)?:/.test(u), "must be a postgres:// URL"),
  REDIS_URL: z.string().url().refine((u) => /^rediss?:/.test(u), "must be a redis:// URL"),
  TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").default(DEVELOPMENT_TOKEN_SECRET),
  ROLE: z.enum(processRoles).default("all"),
  /** A role that may create the schema and run migrations, when DATABASE_URL's role may not (production). */
  MIGRATION_DATABASE_URL: z.string().url().refine((u) => /^postgres(ql)?:/.test(u), "must be a postgres:// URL").optional(),
  /** `run`: migrate at start-up (one process at a time); `check`: only check that a migration job did. */
  MIGRATIONS: z.enum(migrationModes).default("run"),
  HOST: z.string().default("127.0.0.1"),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * Reads and validates configuration from the environment.
 * A wrong value stops start-up with a message that names the variable.
 */
export function loadConfig<S extends z.ZodObject<z.ZodRawShape>>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = issue.path.join(".");
      const given = env[variable];
      return given === undefined
        ? `${variable} is required: ${issue.message}`
        : `${variable}=${JSON.stringify(given)} is invalid: ${issue.message}`;
    });
    throw new ConfigError(`Configuration is invalid:\n  ${problems.join("\n  ")}`);
  }
  const config = parsed.data as z.infer<S> & { NODE_ENV?: string; TOKEN_SECRET?: string };
  if (config.NODE_ENV === "production" && config.TOKEN_SECRET === DEVELOPMENT_TOKEN_SECRET) {
    throw new ConfigError("Configuration is invalid:\n  TOKEN_SECRET must be set to a secret of your own in production");
  }
  return config;
}

export const portSetting = (defaultPort: number) => port.default(defaultPort);
export { z };
