import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { loadServiceDefinition, SERVICES } from "@rhizome/infra";
import { migrateSchema, migrationsOf } from "@rhizome/kit";
import { freshDatabase, startTestService, type TestService } from "@rhizome/kit/testing";

const PASSWORD = "test-role-password";

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function urlAs(databaseUrl: string, role: string): string {
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = PASSWORD;
  return url.toString();
}

/** A migration role that may create schemas in the database, and a runtime role that may only connect. */
async function createRoles(adminUrl: string, service: string): Promise<{ owner: string; runtime: string }> {
  const suffix = randomBytes(4).toString("hex"); // roles belong to the whole cluster: unique names
  const owner = `${service}_owner_${suffix}`;
  const runtime = `${service}_app_${suffix}`;
  const database = new URL(adminUrl).pathname.slice(1);
  await withClient(adminUrl, async (client) => {
    await client.query(`CREATE ROLE ${owner} LOGIN PASSWORD '${PASSWORD}'`);
    await client.query(`CREATE ROLE ${runtime} LOGIN PASSWORD '${PASSWORD}'`);
    await client.query(`GRANT CREATE ON DATABASE ${database} TO ${owner}`);
  });
  return { owner: urlAs(adminUrl, owner), runtime: urlAs(adminUrl, runtime) };
}

const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => "no error",
    (error: { code?: string }) => error.code ?? String(error),
  );

describe("migrations", () => {
  const started: TestService<never>[] = [];
  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
  });

  it("run once when replicas of a service start together", async () => {
    const url = await freshDatabase();
    for (const { name } of SERVICES) {
      const definition = await loadServiceDefinition(name);
      const options = {
        url,
        schema: definition.name,
        entities: definition.entities,
        migrations: migrationsOf(definition),
      };
      const results = await Promise.all([1, 2, 3, 4].map(() => migrateSchema(options)));
      const expected = migrationsOf(definition).length;
      // Every migration applied by exactly one of the four; the others found nothing left to do.
      expect(results.flat().sort(), name).toHaveLength(expected);
      expect(new Set(results.flat()).size, name).toBe(expected);
      const rows = await withClient(url, (client) => client.query(`SELECT name FROM ${definition.name}.migrations`));
      expect(rows.rowCount, name).toBe(expected);
    }
  }, 120_000);

  it("leave the runtime role unable to create schemas or tables, and unable to read another service's tables", async () => {
    const url = await freshDatabase();
    const roles: Record<string, { owner: string; runtime: string }> = {};
    for (const { name } of SERVICES) {
      roles[name] = await createRoles(url, name);
      const definition = await loadServiceDefinition(name);
      await migrateSchema({
        url: roles[name].owner,
        schema: name,
        entities: definition.entities,
        migrations: migrationsOf(definition),
        runtimeRole: new URL(roles[name].runtime).username,
      });
    }
    const tableOf = async (schema: string) =>
      (
        await withClient(url, (client) =>
          client.query(
            `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'migrations' ORDER BY 1 LIMIT 1`,
            [schema],
          ),
        )
      ).rows[0]?.table_name as string | undefined;

    for (const { name } of SERVICES) {
      await withClient(roles[name].runtime, async (client) => {
        expect(await errorCode(client.query(`CREATE SCHEMA sneaky_${name}`)), `${name} creating a schema`).toBe(
          "42501",
        );
        expect(await errorCode(client.query(`CREATE TABLE ${name}.sneaky (id int)`)), `${name} creating a table`).toBe(
          "42501",
        );
        const own = await tableOf(name);
        if (own)
          expect(
            await errorCode(client.query(`SELECT * FROM ${name}.${own} LIMIT 1`)),
            `${name} reading its own ${own}`,
          ).toBe("no error");
        for (const other of SERVICES.filter((service) => service.name !== name)) {
          const table = await tableOf(other.name);
          if (table)
            expect(
              await errorCode(client.query(`SELECT * FROM ${other.name}.${table} LIMIT 1`)),
              `${name} reading ${other.name}.${table}`,
            ).toBe("42501");
        }
      });
    }
  }, 120_000);

  it("let a service run as its runtime role while a separate role migrates, each service in its own database", async () => {
    const [first] = SERVICES;
    const url = await freshDatabase();
    const roles = await createRoles(url, first.name);
    const definition = await loadServiceDefinition(first.name);
    const service = await startTestService(definition, {
      env: { DATABASE_URL: roles.runtime, MIGRATION_DATABASE_URL: roles.owner },
    });
    started.push(service as TestService<never>);
    const ready = await fetch(`${service.url.replace(/\/graphql$/, "")}/ready`);
    expect(ready.status).toBe(200);
    const applied = await withClient(url, (client) =>
      client.query(`SELECT count(*)::int AS n FROM ${first.name}.migrations`),
    );
    expect(applied.rows[0].n).toBe(migrationsOf(definition).length);
  }, 60_000);

  it("with MIGRATIONS=check, refuse to start a service whose schema a migration job has not brought up to date", async () => {
    const [first] = SERVICES;
    const definition = await loadServiceDefinition(first.name);
    const url = await freshDatabase();
    await expect(startTestService(definition, { env: { DATABASE_URL: url, MIGRATIONS: "check" } })).rejects.toThrow(
      /not ready|not yet applied/,
    );
  });
});
