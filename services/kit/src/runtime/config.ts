import { z } from "zod";
import { subgraphAccessModes } from "../auth/gateway-trust.js";
import { OPERATION_LIMITS } from "../auth/operation-limits.js";
import { tracingSettings } from "./tracing-settings.js";

/** BullMQ's own defaults. */
export const DEFAULT_QUEUE_LOCK_DURATION_MS = 30_000;
export const DEFAULT_QUEUE_STALLED_INTERVAL_MS = 30_000;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Secrets that were once published as defaults: no process starts with one. */
const PUBLISHED_TOKEN_SECRETS = new Set(["rhizome-development-secret-change-me-in-production"]);
export const MIN_TOKEN_SECRET_LENGTH = 32;

/**
 * The hub's signing secret, in every mode: a process given none refuses to start, so nothing ever
 * runs with a secret anyone could read in the source. `npm start` and the tests make one and pass it.
 */
export const tokenSecretSetting = z
  .string({ error: "sign tokens with a secret of your own (npm start and the tests make one)" })
  .min(MIN_TOKEN_SECRET_LENGTH, `must be at least ${MIN_TOKEN_SECRET_LENGTH} characters`)
  .refine((secret) => !PUBLISHED_TOKEN_SECRETS.has(secret), "is a published default; use a secret of your own");

// 0 asks the operating system for any free port.
const port = z.coerce.number().int().min(0).max(65535);

/** `run` (default): migrate at start-up, one process at a time; `check`: refuse to start while any is pending (a migration job runs them). */
export const migrationModes = ["run", "check"] as const;
export type MigrationMode = (typeof migrationModes)[number];

export const processRoles = ["api", "worker", "all"] as const;
export type ProcessRole = (typeof processRoles)[number];

/** The operation limits, read alike by the gateway and every subgraph so that both refuse the same. */
export function operationLimitSettings() {
  return {
    MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(OPERATION_LIMITS.maxDepth),
    MAX_TOKENS: z.coerce.number().int().min(50).max(100_000).default(OPERATION_LIMITS.maxTokens),
    MAX_ALIASES: z.coerce.number().int().min(0).max(1_000).default(OPERATION_LIMITS.maxAliases),
  };
}

/** A Postgres URL; its problems are told without the URL, which may hold a password. */
function postgresUrlSetting() {
  return z.string().superRefine((url, issues) => {
    const problem = postgresUrlProblem(url);
    if (problem) issues.addIssue({ code: "custom", message: problem });
  });
}

/** A Redis URL (redis:// or rediss://); its problems are told without the URL, which may hold a password. */
export function redisUrlSetting() {
  return z.string().superRefine((url, issues) => {
    if (!URL.canParse(url))
      issues.addIssue({ code: "custom", message: "is not a URL (redis://[:password@]host:port)" });
    else if (!/^rediss?:$/.test(new URL(url).protocol))
      issues.addIssue({ code: "custom", message: "must be a redis:// URL" });
  });
}

/** Connections a service process keeps to Postgres unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_DATABASE_POOL_SIZE = 10;
/**
 * How long a pooled Postgres connection may sit idle before the pool closes it, unless
 * DATABASE_IDLE_TIMEOUT_MS says otherwise. pg's own default (10 s) closed the connections a burst
 * opened before the next burst came, and on a saturated machine reconnecting could take longer
 * than the connect timeout: requests failed during a new moon. Five minutes outlasts a new moon's
 * gaps, and a process keeps at most DATABASE_POOL_SIZE connections either way.
 */
export const DEFAULT_DATABASE_IDLE_TIMEOUT_MS = 300_000;

/** Settings every service process reads. Each service extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: postgresUrlSetting(),
  REDIS_URL: redisUrlSetting(),
  TOKEN_SECRET: tokenSecretSetting,
  ROLE: z.enum(processRoles).default("all"),
  /** A role that may create the schema and run migrations, when DATABASE_URL's role may not (production). */
  MIGRATION_DATABASE_URL: postgresUrlSetting().optional(),
  /** `run`: migrate at start-up (one process at a time); `check`: only check that a migration job did. */
  MIGRATIONS: z.enum(migrationModes).default("run"),
  HOST: z.string().default("127.0.0.1"),
  /** Where /metrics is served, apart from the public port; 0 picks a free port (logged at start). */
  METRICS_PORT: port.default(0),
  /** "gateway-only" (the default in production): /graphql answers only requests the gateway signed. */
  SUBGRAPH_ACCESS: z.enum(subgraphAccessModes).optional(),
  /** Tests only (refused in production): a file holding the instant the process's clock reads; see clock-file.ts. */
  CLOCK_FILE: z.string().min(1).optional(),
  /**
   * How long a queue worker's hold on a job lasts unless renewed (it renews every half of it). A job
   * whose worker died runs again on another worker once its hold lapses and a stalled-job check
   * (every QUEUE_STALLED_INTERVAL_MS) sees it: at most the sum of both later.
   */
  QUEUE_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).max(600_000).default(DEFAULT_QUEUE_LOCK_DURATION_MS),
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(DEFAULT_QUEUE_STALLED_INTERVAL_MS),
  /** Connections the process keeps to Postgres, shared by requests and jobs. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(DEFAULT_DATABASE_POOL_SIZE),
  /** How long an idle pooled connection stays open (1 s to 1 h): kept warm between bursts instead of reconnecting. */
  DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(DEFAULT_DATABASE_IDLE_TIMEOUT_MS),
  /**
   * Cycle job runs (one circle's expiry, draw, scores...) a worker process runs at once; by default
   * as many as the pool leaves room for (cycleJobConcurrencyFor). At most DATABASE_POOL_SIZE - 1.
   */
  CYCLE_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(199).optional(),
  /**
   * After each cycle job run or page, its slot rests this many times what the run took (0 to 100;
   * 0: back to back), so a new moon leaves the machine to members' requests most of the time.
   * Default DEFAULT_CYCLE_JOB_PACE.
   */
  CYCLE_JOB_PACE: z.coerce.number().min(0).max(100).optional(),
  ...operationLimitSettings(),
  ...tracingSettings(),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** What is wrong with a Postgres URL, or undefined; never repeats the URL (it may hold a password). */
export function postgresUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return "is not a URL (postgres://user:password@host:port/database)";
  return /^postgres(ql)?:$/.test(new URL(url).protocol) ? undefined : "must be a postgres:// URL";
}

const HIDDEN_VALUE = "[value not shown]";
/** Values shorter than this are not searched for in messages: they would match ordinary words. */
const MIN_SCRUBBED_VALUE_CHARS = 4;

/**
 * Reads and validates configuration from the environment.
 * A wrong value stops start-up with a message that names the variable and says what is wrong,
 * never the value: settings hold secrets (TOKEN_SECRET, DATABASE_URL's password, master keys),
 * and start-up output lands in terminals, CI logs and log collectors.
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
      const message = withoutValue(issue.message, given);
      return given === undefined ? `${variable} is required: ${message}` : `${variable} is invalid: ${message}`;
    });
    throw new ConfigError(`Configuration is invalid:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data as z.infer<S>;
}

/** A rule's message with the value it judged taken out, should a rule ever repeat it. */
function withoutValue(message: string, value: string | undefined): string {
  if (value === undefined || value.length < MIN_SCRUBBED_VALUE_CHARS) return message;
  return message.split(value).join(HIDDEN_VALUE);
}

export const portSetting = (defaultPort: number) => port.default(defaultPort);
export { z };
