import "reflect-metadata";
import { DataSource } from "typeorm";
import { loadConfig, type z } from "@rhizome/kit";
import { defenseConfigSchema } from "./config.js";
import { rotateMasterKey } from "./rotation.js";

/**
 * `npm run rotate-keys`: re-wraps every circle's data key under the current master key (in
 * development, after making a new one). Defaults reach the hub `npm start` runs; set DATABASE_URL
 * (and DEFENSE_MASTER_KEYS, new key first) for any other.
 */
// eslint-disable-next-line no-restricted-syntax -- every service's schema is a Zod object extending the base config; loadConfig reads only its shape
const config = loadConfig(defenseConfigSchema as unknown as z.ZodObject<z.ZodRawShape>, {
  DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:54329/rhizome",
  REDIS_URL: "redis://127.0.0.1:63790",
  ...process.env,
}) as z.infer<typeof defenseConfigSchema>;
const db = new DataSource({
  type: "postgres",
  url: config.DATABASE_URL,
  extra: { max: 1, options: "-c search_path=defense" },
});
await db.initialize();
try {
  const { currentKeyId, rewrapped } = await rotateMasterKey(db, config, new Date());
  console.log(
    `Re-wrapped ${rewrapped} circle data keys under master key ${currentKeyId}. Older keys can be removed from DEFENSE_MASTER_KEYS once every process runs with this one first.`,
  );
} finally {
  await db.destroy();
}
