import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { conflict, notFound } from "@rhizome/kit";
import { MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE } from "../domain/limits.js";
import { changedRows, type Queryable } from "./queryable.js";

export type AssemblyKindName = "SHADOW" | "COMMONS";
export type ReflectionKindName = "FAILURE" | "WIN" | "TENSION";

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

function assemblyFromSql(raw: Record<string, unknown>): AssemblyRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    kind: raw.kind as AssemblyKindName,
    title: raw.title as string,
    cycle: raw.cycle as string,
    meetsAt: (raw.meets_at as Date | null) ?? null,
    minutes: (raw.minutes as string | null) ?? null,
    calledBy: (raw.called_by as string | null) ?? null,
    createdAt: raw.created_at as Date,
  };
}

export interface NewAssembly {
  circleId: string;
  kind: AssemblyKindName;
  title: string;
  cycle: string;
  meetsAt: Date | null;
  calledBy: string;
}

/**
 * A shadow assembly (at most MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE a member and cycle, counted
 * under a lock on the member's calls so two at once cannot pass it), or the cycle's one commons
 * assembly (a second for the same cycle is a CONFLICT).
 */
export async function createAssembly(db: DataSource, assembly: NewAssembly, now: Date): Promise<AssemblyRow> {
  return db.transaction(async (manager) => {
    if (assembly.kind === "SHADOW") {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `shadow-assemblies/${assembly.circleId}/${assembly.calledBy}`,
      ]);
      const [called]: Array<{ count: string }> = await manager.query(
        `SELECT count(*) FROM assemblies WHERE circle_id = $1 AND kind = 'SHADOW' AND cycle = $2 AND called_by = $3`,
        [assembly.circleId, assembly.cycle, assembly.calledBy],
      );
      if (Number(called.count) >= MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE)
        throw conflict(
          `A member calls at most ${MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE} shadow assemblies a lunar cycle; you called ${called.count} in the cycle ${assembly.cycle}.`,
        );
    }
    const rows: Array<Record<string, unknown>> = await manager.query(
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
    if (!rows[0]) throw conflict(`Your circle already has its commons assembly for the cycle ${assembly.cycle}.`);
    return assemblyFromSql(rows[0]);
  });
}

/** The commons assembly of a cycle, opened by the new moon's job; a second run finds it there. */
export async function ensureCommonsAssembly(
  db: Queryable,
  circleId: string,
  cycle: string,
  now: Date,
): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `INSERT INTO assemblies (id, circle_id, kind, title, cycle, created_at) VALUES ($1, $2, 'COMMONS', $3, $4, $5)
     ON CONFLICT (circle_id, cycle) WHERE kind = 'COMMONS' DO NOTHING RETURNING id`,
    [randomUUID(), circleId, `Commons assembly of the cycle ${cycle}`, cycle, now],
  );
  return rows.length > 0;
}

export async function assembliesByIds(db: Queryable, ids: readonly string[]): Promise<AssemblyRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM assemblies WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
  return raws.map(assemblyFromSql);
}

export async function assembliesOfCircle(
  db: Queryable,
  circleId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<AssemblyRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM assemblies WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid)) ORDER BY created_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(assemblyFromSql);
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

/** Adds an item; the limit counts every item submitted, published or not. */
export async function addAgendaItem(
  db: Queryable,
  assembly: AssemblyRow,
  item: { text: string; publishes: boolean },
  now: Date,
): Promise<AgendaItemRow> {
  const rows: Array<{ id: string; text: string; added_at: Date; publishes: boolean }> = await db.query(
    `INSERT INTO agenda_items (id, assembly_id, circle_id, text, added_at, publishes)
     SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM agenda_items WHERE assembly_id = $2) < $7 RETURNING *`,
    [randomUUID(), assembly.id, assembly.circleId, item.text, now, item.publishes, MAX_AGENDA_ITEMS],
  );
  if (!rows[0]) throw conflict(`An assembly's agenda holds at most ${MAX_AGENDA_ITEMS} items.`);
  return { id: rows[0].id, text: rows[0].text, addedAt: rows[0].added_at, publishes: rows[0].publishes };
}

export async function agendaOf(db: Queryable, assemblyIds: readonly string[]): Promise<AgendaItemRow[][]> {
  const rows: Array<{ id: string; assembly_id: string; text: string; added_at: Date; publishes: boolean }> =
    await db.query(`SELECT * FROM agenda_items WHERE assembly_id = ANY($1::uuid[]) ORDER BY added_at, id`, [
      assemblyIds,
    ]);
  return assemblyIds.map((id) =>
    rows
      .filter((r) => r.assembly_id === id)
      .map((r) => ({ id: r.id, text: r.text, addedAt: r.added_at, publishes: r.publishes })),
  );
}

export interface ReflectionRow {
  id: string;
  kind: ReflectionKindName;
  text: string;
  mayQuote: boolean;
  recordedAt: Date;
}

export async function addReflection(
  db: Queryable,
  assembly: AssemblyRow,
  reflection: Omit<ReflectionRow, "id" | "recordedAt">,
  now: Date,
): Promise<ReflectionRow> {
  const rows: Array<{ id: string; kind: ReflectionKindName; text: string; may_quote: boolean; recorded_at: Date }> =
    await db.query(
      `INSERT INTO reflections (id, assembly_id, circle_id, kind, text, may_quote, recorded_at)
     SELECT $1, $2, $3, $4, $5, $6, $7 WHERE (SELECT count(*) FROM reflections WHERE assembly_id = $2) < $8 RETURNING *`,
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
  if (!rows[0]) throw conflict(`An assembly holds at most ${MAX_REFLECTIONS} reflections.`);
  return {
    id: rows[0].id,
    kind: rows[0].kind,
    text: rows[0].text,
    mayQuote: rows[0].may_quote,
    recordedAt: rows[0].recorded_at,
  };
}

export async function reflectionsOf(db: Queryable, assemblyIds: readonly string[]): Promise<ReflectionRow[][]> {
  const rows: Array<{
    id: string;
    assembly_id: string;
    kind: ReflectionKindName;
    text: string;
    may_quote: boolean;
    recorded_at: Date;
  }> = await db.query(`SELECT * FROM reflections WHERE assembly_id = ANY($1::uuid[]) ORDER BY recorded_at, id`, [
    assemblyIds,
  ]);
  return assemblyIds.map((id) =>
    rows
      .filter((r) => r.assembly_id === id)
      .map((r) => ({ id: r.id, kind: r.kind, text: r.text, mayQuote: r.may_quote, recordedAt: r.recorded_at })),
  );
}

export async function recordMinutes(db: Queryable, assemblyId: string, minutes: string): Promise<AssemblyRow> {
  const rows: Array<Record<string, unknown>> = changedRows(
    await db.query(`UPDATE assemblies SET minutes = $2 WHERE id = $1 RETURNING *`, [assemblyId, minutes]),
  );
  if (!rows[0]) throw notFound("No assembly with that id in your circles.");
  return assemblyFromSql(rows[0]);
}
