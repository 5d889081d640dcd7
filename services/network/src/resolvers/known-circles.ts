import { ExpiringLru } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { findCircleBySlug, type CircleRow } from "../store/circles.js";

/**
 * Circles a process has read, by id and by slug, for each database it serves. A circle's row never
 * changes once founded (no statement updates or deletes one), so an entry is never stale; only
 * circles found are kept, so a circle founded later is found as soon as it exists. Bounded, least
 * recently used first out.
 */
const MAX_CIRCLES = 20_000;
const NEVER_EXPIRES = Number.POSITIVE_INFINITY;

interface KnownCircles {
  byId: ExpiringLru<string, CircleRow>;
  bySlug: ExpiringLru<string, CircleRow>;
}

const knownByDatabase = new WeakMap<NetworkContext["db"], KnownCircles>();

function knownCircles(context: NetworkContext): KnownCircles {
  let known = knownByDatabase.get(context.db);
  if (!known) {
    known = { byId: new ExpiringLru(MAX_CIRCLES), bySlug: new ExpiringLru(MAX_CIRCLES) };
    knownByDatabase.set(context.db, known);
  }
  return known;
}

function remember(known: KnownCircles, row: CircleRow): CircleRow {
  known.byId.set(row.id, row, NEVER_EXPIRES);
  known.bySlug.set(row.slug, row, NEVER_EXPIRES);
  return row;
}

/** The circle with this id, from this process's memory or the request's loader. */
export async function circleById(context: NetworkContext, id: string): Promise<CircleRow | undefined> {
  const known = knownCircles(context);
  const hit = known.byId.get(id, 0);
  if (hit.isHit) return hit.value;
  const row = await context.circles.load(id);
  return row && remember(known, row);
}

/** The circle with this slug (slugs are stored lower case), from this process's memory or Postgres. */
export async function circleBySlug(context: NetworkContext, slug: string): Promise<CircleRow | undefined> {
  const known = knownCircles(context);
  const hit = known.bySlug.get(slug.toLowerCase(), 0);
  if (hit.isHit) return hit.value;
  const row = await findCircleBySlug(context.db, slug);
  return row && remember(known, row);
}
