import type { Queryable } from "@rhizome/kit";

/**
 * The line between a cycle and its expiry. Every ledger write of a circle (a confirmation, a
 * member leaving, a clearing) holds the circle's barrier shared until it commits, and reads the
 * clock and `expired_through` only once it holds it; an expiry takes the barrier exclusively for
 * the instant it marks the cycle as expiring. So a write either committed before the expiry began
 * (and the expiry sees it) or labels a later cycle: nothing can land in a cycle being expired.
 * Shared holders never wait for each other; it is an advisory lock, so no row is written.
 */
const barrierKey = `hashtextextended('barter.cycle-barrier:' || $1::text, 0)`;

export async function holdCycleBarrierShared(manager: Queryable, circleId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock_shared(${barrierKey})`, [circleId]);
}

export async function holdCycleBarrierExclusive(manager: Queryable, circleId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(${barrierKey})`, [circleId]);
}

/**
 * Many circles' barriers, exclusively, in one statement: in circle id order, the order every
 * holder of more than one takes them in, so two such holders never wait for each other in a ring.
 */
export async function holdCycleBarriersExclusive(manager: Queryable, circleIds: readonly string[]): Promise<void> {
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended('barter.cycle-barrier:' || c::text, 0)))
     FROM (SELECT DISTINCT c FROM unnest($1::uuid[]) AS c ORDER BY c) AS ordered`,
    [circleIds],
  );
}

/** The SQL fragment that takes the barrier shared inside a larger statement ($1 must be the circle id). */
export const SHARED_BARRIER_SQL = `pg_advisory_xact_lock_shared(${barrierKey})`;
