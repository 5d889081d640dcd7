import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { cycleContaining, followingCycle } from "@rhizome/kit";
import { decideExchange, proposeAt } from "./support/ledger.js";
import { createCircle } from "./support/circles.js";
import { FIXED_CYCLE } from "./support/clock.js";
import { auditLedger } from "./support/database.js";
import { eventually } from "@rhizome/kit/testing";
import { useBarterDatabase } from "./support/lifecycle.js";

// The new moon that ends FIXED_CYCLE, a minute either side of it.
const boundary = FIXED_CYCLE.endsAt;
const justBefore = new Date(boundary.getTime() - 60_000);
const justAfter = new Date(boundary.getTime() + 60_000);
const nextCycle = followingCycle(FIXED_CYCLE).label;

let db: DataSource;
useBarterDatabase((opened) => (db = opened));

async function entriesOf(circleId: string): Promise<Array<{ cycle: string; amount_minutes: number }>> {
  return db.query(
    `SELECT e.cycle, e.amount_minutes FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1`,
    [circleId],
  );
}

describe("a confirmation around a new moon", () => {
  it("reads the clock once, so the check, the entries' cycle and decided_at agree", async () => {
    const circle = await createCircle(db, 2, { openedAt: justBefore });
    const [provider, receiver] = circle.members;
    const proposed = await proposeAt(db, circle, provider, receiver, 60, justBefore);
    let reads = 0;
    // Before the boundary on the first read, after it on any later one.
    const clock = () => (reads++ === 0 ? justBefore : justAfter);

    const decided = await decideExchange(db, {
      exchangeId: proposed.id,
      action: "confirm",
      memberships: [{ circleId: circle.circleId, memberId: receiver.memberId, roles: receiver.roles }],
      clock,
    });

    expect(reads).toBe(1);
    expect(decided.status).toBe("CONFIRMED");
    expect(decided.decidedAt).toEqual(justBefore);
    const entries = await entriesOf(circle.circleId);
    expect(entries).toHaveLength(2);
    expect(entries.every((entry) => entry.cycle === FIXED_CYCLE.label)).toBe(true);
    expect(entries.some((entry) => entry.cycle === nextCycle)).toBe(false);
  });

  it("that waited on a locked account until after the new moon refuses the lapsed proposal and writes nothing", async () => {
    const circle = await createCircle(db, 2, { openedAt: justBefore });
    const [provider, receiver] = circle.members;
    const proposed = await proposeAt(db, circle, provider, receiver, 60, justBefore);
    expect(cycleContaining(justBefore).label).toBe(proposed.proposedCycle);

    // Another transaction holds the receiver's account, as a concurrent confirmation would.
    const blocker = db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    const [{ pid }] = await blocker.query(`SELECT pg_backend_pid() AS pid`);
    await blocker.query(`SELECT id FROM accounts WHERE member_id = $1 FOR UPDATE`, [receiver.memberId]);
    // The real instant moves past the new moon while the confirmation waits.
    let isPastBoundary = false;
    const clock = () => (isPastBoundary ? justAfter : justBefore);

    const decision = decideExchange(db, {
      exchangeId: proposed.id,
      action: "confirm",
      memberships: [{ circleId: circle.circleId, memberId: receiver.memberId, roles: receiver.roles }],
      clock,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    try {
      await eventually(async () => {
        const [{ waiting }] = await db.query(
          `SELECT count(*) AS waiting FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
          [pid],
        );
        return Number(waiting) > 0 ? true : undefined;
      }, "the confirmation to wait on the locked account");
      isPastBoundary = true;
    } finally {
      await blocker.commitTransaction();
      await blocker.release();
    }

    const error = await decision;
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe("CONFLICT");
    expect((error as GraphQLError).message).toMatch(/lapsed at the new moon/);
    expect(await entriesOf(circle.circleId)).toEqual([]);
    const [{ status }] = await db.query(`SELECT status FROM exchanges WHERE id = $1`, [proposed.id]);
    expect(status).toBe("PENDING");
    expect(await auditLedger(db, circle.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
  });
});
