import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirst, rowsByIds } from "./pages.js";

export type AssemblyKindName = "SHADOW" | "COMMONS";
export type ReflectionKindName = "FAILURE" | "WIN" | "TENSION";

/** A row of `assemblies`. */
export interface AssemblyRow {
  id: string;
  circleId: string;
  kind: AssemblyKindName;
  title: string;
  cycle: string;
  meetsAt: Date | null;
  minutes: string | null;
  /** Who called it (kept to let them record its minutes, never shown); null for a commons assembly and older rows. */
  calledBy: string | null;
  createdAt: Date;
}

export interface NewAssembly {
  circleId: string;
  kind: AssemblyKindName;
  title: string;
  cycle: string;
  meetsAt: Date | null;
  calledBy: string;
}

/** How many shadow assemblies the member called in the cycle, counted under a lock on their calls (two at once wait). */
export async function lockShadowCallsOf(
  tx: Queryable,
  circleId: string,
  memberId: string,
  cycle: string,
): Promise<number> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`shadow-assemblies/${circleId}/${memberId}`]);
  const row = await sqlRow<{ called: number }>(
    tx,
    `SELECT count(*)::int AS called FROM assemblies WHERE circle_id = $1 AND kind = 'SHADOW' AND cycle = $2 AND called_by = $3`,
    [circleId, cycle, memberId],
  );
  return row?.called ?? 0;
}

/** The new assembly, or undefined when it is a second commons assembly for the cycle. */
export async function insertAssembly(
  tx: Queryable,
  assembly: NewAssembly,
  now: Date,
): Promise<AssemblyRow | undefined> {
  return sqlRow<AssemblyRow>(
    tx,
    `INSERT INTO assemblies (id, circle_id, kind, title, cycle, meets_at, called_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (circle_id, cycle) WHERE kind = 'COMMONS' DO NOTHING RETURNING *`,
    [
      randomUUID(),
      assembly.circleId,
      assembly.kind,
      assembly.title,
      assembly.cycle,
      assembly.meetsAt,
      assembly.kind === "SHADOW" ? assembly.calledBy : null,
      now,
    ],
  );
}

/** The commons assembly of a cycle, opened by the new moon's job; a second run finds it there. */
export async function ensureCommonsAssembly(
  db: Queryable,
  circleId: string,
  cycle: string,
  now: Date,
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    db,
    `INSERT INTO assemblies (id, circle_id, kind, title, cycle, created_at) VALUES ($1, $2, 'COMMONS', $3, $4, $5)
     ON CONFLICT (circle_id, cycle) WHERE kind = 'COMMONS' DO NOTHING RETURNING id`,
    [randomUUID(), circleId, `Commons assembly of the cycle ${cycle}`, cycle, now],
  );
  return rows.length > 0;
}

export async function assembliesByIds(db: Queryable, ids: readonly string[]): Promise<AssemblyRow[]> {
  return rowsByIds<AssemblyRow>(db, "assemblies", ids);
}

export async function assembliesOfCircle(
  db: Queryable,
  circleId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<AssemblyRow[]> {
  return newestFirst<AssemblyRow>(db, "assemblies", "created_at", { circle_id: circleId }, after, limit);
}

export const MAX_AGENDA_ITEMS = 100;
export const MAX_REFLECTIONS = 200;

export interface AgendaItemRow {
  id: string;
  text: string;
  addedAt: Date;
  /** Whether the item is published (a shadow assembly's, at its close): kept, never shown. */
  publishes: boolean;
}

/** Adds an item while the agenda holds fewer than MAX_AGENDA_ITEMS (every item submitted counts); undefined when full. */
export async function insertAgendaItem(
  tx: Queryable,
  assembly: { id: string; circleId: string },
  item: { text: string; publishes: boolean },
  now: Date,
): Promise<AgendaItemRow | undefined> {
  return sqlRow<AgendaItemRow>(
    tx,
    `INSERT INTO agenda_items (id, assembly_id, circle_id, text, added_at, publishes)
     SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM agenda_items WHERE assembly_id = $2) < $7
     RETURNING id, text, added_at, publishes`,
    [randomUUID(), assembly.id, assembly.circleId, item.text, now, item.publishes, MAX_AGENDA_ITEMS],
  );
}

export async function agendaOf(db: Queryable, assemblyIds: readonly string[]): Promise<AgendaItemRow[][]> {
  const rows = await sqlRows<AgendaItemRow & { assemblyId: string }>(
    db,
    `SELECT assembly_id, id, text, added_at, publishes FROM agenda_items WHERE assembly_id = ANY($1::uuid[]) ORDER BY added_at, id`,
    [assemblyIds],
  );
  return assemblyIds.map((id) =>
    rows
      .filter((r) => r.assemblyId === id)
      .map(({ id, text, addedAt, publishes }) => ({ id, text, addedAt, publishes })),
  );
}

/** A row of `reflections`, without its assembly and circle. */
export interface ReflectionRow {
  id: string;
  kind: ReflectionKindName;
  text: string;
  mayQuote: boolean;
  recordedAt: Date;
}

const REFLECTION_COLUMNS = "id, kind, text, may_quote, recorded_at";

/** Adds a reflection while the assembly holds fewer than MAX_REFLECTIONS; undefined when full. */
export async function insertReflection(
  tx: Queryable,
  assembly: { id: string; circleId: string },
  reflection: Omit<ReflectionRow, "id" | "recordedAt">,
  now: Date,
): Promise<ReflectionRow | undefined> {
  return sqlRow<ReflectionRow>(
    tx,
    `INSERT INTO reflections (id, assembly_id, circle_id, kind, text, may_quote, recorded_at)
     SELECT $1, $2, $3, $4, $5, $6, $7 WHERE (SELECT count(*) FROM reflections WHERE assembly_id = $2) < $8
     RETURNING ${REFLECTION_COLUMNS}`,
    [
      randomUUID(),
      assembly.id,
      assembly.circleId,
      reflection.kind,
      reflection.text,
      reflection.mayQuote,
      now,
      MAX_REFLECTIONS,
    ],
  );
}

export async function reflectionsOf(db: Queryable, assemblyIds: readonly string[]): Promise<ReflectionRow[][]> {
  const rows = await sqlRows<ReflectionRow & { assemblyId: string }>(
    db,
    `SELECT assembly_id, ${REFLECTION_COLUMNS} FROM reflections WHERE assembly_id = ANY($1::uuid[]) ORDER BY recorded_at, id`,
    [assemblyIds],
  );
  return assemblyIds.map((id) =>
    rows
      .filter((r) => r.assemblyId === id)
      .map(({ id, kind, text, mayQuote, recordedAt }) => ({ id, kind, text, mayQuote, recordedAt })),
  );
}

/** Records an assembly's minutes; undefined when it is gone. */
export async function updateMinutes(
  tx: Queryable,
  assemblyId: string,
  minutes: string,
): Promise<AssemblyRow | undefined> {
  return sqlRow<AssemblyRow>(tx, `UPDATE assemblies SET minutes = $2 WHERE id = $1 RETURNING *`, [assemblyId, minutes]);
}
