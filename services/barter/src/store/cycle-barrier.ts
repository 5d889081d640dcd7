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

/** The SQL fragment that takes the barrier shared inside a larger statement ($1 must be the circle id). */
export const SHARED_BARRIER_SQL = `pg_advisory_xact_lock_shared(${barrierKey})`;
