/**
 * Backups of every service schema, read in one snapshot (REPEATABLE READ, READ ONLY), so a dump
 * taken while the hub runs is as consistent as a stopped hub: a transfer is in it with all of its
 * entries or not at all. Postgres's own COPY carries the rows, so no pg_dump of a matching version
 * is needed. The file is gzip'd lines: a JSON header (schemas, their migrations, sequences, event
 * log positions), then each table as a JSON line and its rows in COPY text format, ending `\.`.
 *
 * A restore goes into an empty database: each service's migrations (of this version of the code)
 * make its tables, then the rows are copied in, tables in the order their foreign keys need. Event
 * log positions are transaction ids of the old cluster; they are renumbered in order below the new
 * cluster's, and every consumer's cursor with them, so delivery goes on where it stopped.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { PassThrough, type Writable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { migrateSchema, migrationsOf, roleOf } from "@rhizome/kit";
import { loadServiceDefinition } from "./service-definitions.js";
import { SERVICES } from "./services.js";

export const BACKUP_FORMAT = "rhizome-backup/1";
const END_OF_TABLE = "\\.";
const MIGRATIONS_TABLE = "migrations";
/** Transaction ids 0-2 are reserved; renumbered event positions start after them. */
const FIRST_NORMAL_XID = 3;

interface TableHeader {
  table: string;
  columns: string[];
}

interface SchemaHeader {
  name: string;
  migrations: string[];
  /** Tables in an order that satisfies their foreign keys. */
  tables: string[];
  sequences: Array<{ name: string; lastValue: string; isCalled: boolean }>;
  /** Distinct transactions in the event log (outbox), renumbered on restore. */
  eventTransactions: number;
}

interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  schemas: SchemaHeader[];
}

export interface BackupSummary {
  schemas: string[];
  tables: number;
  rows: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (schema: string, table: string) => `${quote(schema)}.${quote(table)}`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The schemas of SERVICES that exist in this database. */
async function existingSchemas(client: pg.Client): Promise<string[]> {
  const names = SERVICES.map((service) => service.name);
  const { rows } = await client.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])`,
    [names],
  );
  const found = new Set(rows.map((row) => row.nspname));
  return names.filter((name) => found.has(name));
}

/** Tables of a schema, each after the tables its foreign keys point to. */
async function tablesInDependencyOrder(client: pg.Client, schema: string): Promise<string[]> {
  const { rows: tables } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
    [schema],
  );
  const { rows: references } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = $1 AND c.oid <> p.oid`,
    [schema],
  );
  const ordered: string[] = [];
  const pending = new Set(tables.map((table) => table.relname));
  while (pending.size > 0) {
    const ready = [...pending].filter(
      (table) => !references.some((ref) => ref.child === table && pending.has(ref.parent)),
    );
    if (ready.length === 0)
      throw new Error(
        `The foreign keys of ${schema} form a cycle among ${[...pending].join(", ")}; this backup cannot order them.`,
      );
    for (const table of ready) {
      ordered.push(table);
      pending.delete(table);
    }
  }
  return ordered;
}

async function copiedColumns(client: pg.Client, schema: string, table: string): Promise<string[]> {
  const { rows } = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
    [qualified(schema, table)],
  );
  return rows.map((row) => row.attname);
}

async function hasEventLog(client: pg.Client, schema: string): Promise<boolean> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'outbox' AND column_name = 'tx'`,
    [schema],
  );
  return (rowCount ?? 0) > 0;
}

async function describeSchema(client: pg.Client, schema: string): Promise<SchemaHeader> {
  const tables = await tablesInDependencyOrder(client, schema);
  const migrations = tables.includes(MIGRATIONS_TABLE)
    ? (
        await client.query<{ name: string }>(
          `SELECT name FROM ${qualified(schema, MIGRATIONS_TABLE)} ORDER BY timestamp, name`,
        )
      ).rows.map((row) => row.name)
    : [];
  const { rows: sequenceNames } = await client.query<{ sequencename: string }>(
    `SELECT sequencename FROM pg_sequences WHERE schemaname = $1 ORDER BY 1`,
    [schema],
  );
  const sequences = [];
  for (const { sequencename } of sequenceNames) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text, is_called FROM ${qualified(schema, sequencename)}`,
    );
    sequences.push({ name: sequencename, lastValue: rows[0].last_value, isCalled: rows[0].is_called });
  }
  const eventTransactions = (await hasEventLog(client, schema))
    ? Number(
        (await client.query<{ n: string }>(`SELECT count(DISTINCT tx)::text AS n FROM ${qualified(schema, "outbox")}`))
          .rows[0].n,
      )
    : 0;
  return {
    name: schema,
    migrations,
    tables: tables.filter((table) => table !== MIGRATIONS_TABLE),
    sequences,
    eventTransactions,
  };
}

function writeLine(output: Writable, line: string): Promise<void> | void {
  if (!output.write(`${line}\n`)) return once(output, "drain").then(() => undefined);
}

/** Writes a consistent dump of every service schema in the database to `file`. */
export async function backupDatabase(databaseUrl: string, file: string): Promise<BackupSummary> {
  const client = await connect(databaseUrl);
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(file, { mode: 0o600 }));
  let tables = 0;
  let rows = 0;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const schemas = [];
    for (const schema of await existingSchemas(client)) schemas.push(await describeSchema(client, schema));
    const header: BackupHeader = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), schemas };
    await writeLine(gzip, JSON.stringify(header));
    for (const schema of schemas) {
      for (const table of schema.tables) {
        const columns = await copiedColumns(client, schema.name, table);
        const tableHeader: TableHeader = { table: `${schema.name}.${table}`, columns };
        await writeLine(gzip, JSON.stringify(tableHeader));
        const copy = client.query(
          copyTo(`COPY ${qualified(schema.name, table)} (${columns.map(quote).join(", ")}) TO STDOUT`),
        );
        const counter = new PassThrough();
        counter.on("data", (chunk: Buffer) => {
          for (const byte of chunk) if (byte === 10) rows++;
        });
        // Pipe without ending the gzip stream: more tables follow.
        copy.pipe(counter).pipe(gzip, { end: false });
        await once(counter, "end");
        await writeLine(gzip, END_OF_TABLE);
        tables++;
      }
    }
    await client.query("COMMIT");
    gzip.end();
    await written;
    return { schemas: schemas.map((schema) => schema.name), tables, rows };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

export interface RestoreOptions {
  /** The runtime role's URL: its role is granted the use of the restored tables. */
  databaseUrl: string;
  /** Who creates the schemas and runs the migrations; default databaseUrl. */
  migrationUrl?: string;
}

async function assertEmpty(client: pg.Client, schema: SchemaHeader): Promise<void> {
  for (const table of schema.tables) {
    const { rowCount } = await client.query(`SELECT 1 FROM ${qualified(schema.name, table)} LIMIT 1`);
    if ((rowCount ?? 0) > 0)
      throw new Error(
        `${schema.name}.${table} already holds rows: restore into an empty database (nothing was changed).`,
      );
  }
}

/** Uses up transaction ids until the next one is above `xid`, so renumbered event positions are in the past. */
async function advanceTransactionIds(client: pg.Client, xid: number): Promise<void> {
  const current = async () =>
    Number((await client.query<{ x: string }>("SELECT pg_current_xact_id()::text AS x")).rows[0].x);
  let now = await current();
  while (now <= xid) {
    const burn = Math.min(xid - now + 1, 10_000);
    await client.query(`DO $$ BEGIN FOR i IN 1..${burn} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
    now = await current();
  }
}

/**
 * Renumbers each producer's event positions 3, 4, 5 ... in their order, and moves every consumer's
 * cursor on that producer to the renumbered position of the last event it had read.
 */
async function renumberEventPositions(client: pg.Client, schemas: SchemaHeader[]): Promise<void> {
  const producers = schemas.filter((schema) => schema.eventTransactions > 0).map((schema) => schema.name);
  const consumers = [];
  for (const schema of schemas) if (schema.tables.includes("event_cursors")) consumers.push(schema.name);
  for (const producer of producers) {
    const outbox = qualified(producer, "outbox");
    await client.query(`CREATE TEMP TABLE renumbered ON COMMIT DROP AS
      SELECT tx AS old_tx, (dense_rank() OVER (ORDER BY tx) + ${FIRST_NORMAL_XID - 1})::text::xid8 AS new_tx FROM (SELECT DISTINCT tx FROM ${outbox}) d`);
    for (const consumer of consumers) {
      await client.query(
        `UPDATE ${qualified(consumer, "event_cursors")} c
            SET position = COALESCE((
              SELECT r.new_tx::text || ':' || o.seq FROM ${outbox} o JOIN renumbered r ON r.old_tx = o.tx
               WHERE (o.tx, o.seq) <= (split_part(c.position, ':', 1)::xid8, split_part(c.position, ':', 2)::bigint)
               ORDER BY o.tx DESC, o.seq DESC LIMIT 1), '0:0')
          WHERE c.source = $1`,
        [producer],
      );
    }
    await client.query(`UPDATE ${outbox} o SET tx = r.new_tx FROM renumbered r WHERE o.tx = r.old_tx`);
    await client.query("DROP TABLE renumbered");
  }
}

async function* lines(file: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of reader) yield line;
}

/** Restores a dump written by backupDatabase into a database whose service schemas are empty or absent. */
export async function restoreDatabase(file: string, options: RestoreOptions): Promise<BackupSummary> {
  const input = lines(file);
  const first = await input.next();
  const header = (first.done ? undefined : JSON.parse(first.value)) as BackupHeader | undefined;
  if (header?.format !== BACKUP_FORMAT) throw new Error(`${file} is not a Rhizome backup (${BACKUP_FORMAT}).`);

  for (const schema of header.schemas) {
    const definition = await loadServiceDefinition(schema.name);
    await migrateSchema({
      url: options.migrationUrl ?? options.databaseUrl,
      schema: schema.name,
      entities: definition.entities ?? [],
      migrations: migrationsOf(definition),
      runtimeRole: roleOf(options.databaseUrl),
    });
  }

  const client = await connect(options.migrationUrl ?? options.databaseUrl);
  let tables = 0;
  let rows = 0;
  try {
    for (const schema of header.schemas) {
      const { rows: applied } = await client.query<{ name: string }>(
        `SELECT name FROM ${qualified(schema.name, MIGRATIONS_TABLE)}`,
      );
      const missing = schema.migrations.filter((name) => !applied.some((row) => row.name === name));
      if (missing.length > 0)
        throw new Error(
          `The backup's ${schema.name} schema has migrations this code does not have (${missing.join(", ")}): restore with the version that wrote it.`,
        );
      await assertEmpty(client, schema);
    }
    const positions = header.schemas.reduce((most, schema) => Math.max(most, schema.eventTransactions), 0);
    await advanceTransactionIds(client, positions + FIRST_NORMAL_XID);
    await client.query("BEGIN");
    // The rows come from one consistent snapshot; the services' own triggers (invariants checked per
    // statement, append-only guards) would judge each table alone, before the tables it names are back.
    const restoredTables = new Set<string>();
    for (;;) {
      const next = await input.next();
      if (next.done) break;
      if (next.value === "") continue;
      const table = JSON.parse(next.value) as TableHeader;
      const [schema, name] = table.table.split(".");
      await client.query(`ALTER TABLE ${qualified(schema, name)} DISABLE TRIGGER USER`);
      restoredTables.add(qualified(schema, name));
      const copy = client.query(
        copyFrom(`COPY ${qualified(schema, name)} (${table.columns.map(quote).join(", ")}) FROM STDIN`),
      );
      const finished = once(copy, "finish");
      for (;;) {
        const row = await input.next();
        if (row.done) throw new Error(`${file} ends inside ${table.table}: the backup is incomplete.`);
        if (row.value === END_OF_TABLE) break;
        rows++;
        if (!copy.write(`${row.value}\n`)) await once(copy, "drain");
      }
      copy.end();
      await finished;
      tables++;
    }
    for (const schema of header.schemas) {
      for (const sequence of schema.sequences) {
        await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [
          qualified(schema.name, sequence.name),
          sequence.lastValue,
          sequence.isCalled,
        ]);
      }
    }
    for (const restored of restoredTables) await client.query(`ALTER TABLE ${restored} ENABLE TRIGGER USER`);
    await renumberEventPositions(client, header.schemas);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return { schemas: header.schemas.map((schema) => schema.name), tables, rows };
}
