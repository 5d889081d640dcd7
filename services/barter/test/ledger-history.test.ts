import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { cycleContaining, precedingCycle, type LunarCycle } from "@rhizome/kit";
import { confirmExchangeSql } from "../src/store/confirm-exchange.js";
import { expireCircleCycle } from "../src/jobs/expire-circle-cycle.js";
import { createCircle, type TestCircle } from "./support/circles.js";
import { FIXED_CYCLE, FIXED_NOW } from "./support/clock.js";
import { auditLedger, memberCycleBalance } from "./support/database.js";
import { eventsAbout } from "./support/events.js";
import { exchangeAt, hoursAfter, proposeAt, decideExchange } from "./support/ledger.js";
import { useBarterDatabase } from "./support/lifecycle.js";

const HISTORY_CYCLES = 12;
const EXCHANGES_PER_CYCLE = 6;

let db: DataSource;
useBarterDatabase((opened) => (db = opened));

/** The cycles before FIXED_CYCLE, oldest first: still in the future, so no real new moon's expiry touches them. */
function pastCycles(count: number): LunarCycle[] {
  const cycles: LunarCycle[] = [];
  let cycle = FIXED_CYCLE;
  for (let i = 0; i < count; i++) cycles.unshift((cycle = precedingCycle(cycle)));
  return cycles;
}

/** Rows every plan node of a statement produced, from EXPLAIN ANALYZE: the work a statement does. */
async function rowsProduced(sql: string, params: unknown[]): Promise<number> {
  const [{ "QUERY PLAN": plan }]: Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }> = await db.query(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
    params,
  );
  interface PlanNode {
    "Actual Rows": number;
    "Actual Loops": number;
    Plans?: PlanNode[];
  }
  const walk = (node: PlanNode): number =>
    node["Actual Rows"] * node["Actual Loops"] + (node.Plans ?? []).reduce((sum, child) => sum + walk(child), 0);
  return walk(plan[0].Plan);
}

/** What a confirmation's reads cost in this circle now: its cycle state and its invariant check, for the pair's accounts. */
async function confirmationReadWork(circle: TestCircle): Promise<number> {
  const accounts: Array<{ id: string; member_id: string }> = await db.query(
    `SELECT id, member_id FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER'`,
    [circle.circleId],
  );
  const idOf = (memberId: string) => accounts.find((a) => a.member_id === memberId)!.id;
  const [ada, bell] = circle.members.map((m) => idOf(m.memberId));
  return (
    (await rowsProduced(confirmExchangeSql.cycleState, [circle.circleId, ada, bell, FIXED_CYCLE.label])) +
    (await rowsProduced(confirmExchangeSql.cycleBalancesAndEntrySums, [
      [ada, bell],
      [FIXED_CYCLE.label, FIXED_CYCLE.label],
    ]))
  );
}

describe("the ledger's cost", () => {
  it(`is the same for a confirmation in a circle's first cycle and after ${HISTORY_CYCLES} cycles of history`, async () => {
    const history = pastCycles(HISTORY_CYCLES);
    const fresh = await createCircle(db, 2, { openedAt: FIXED_CYCLE.startsAt });
    const aged = await createCircle(db, 2, { openedAt: history[0].startsAt });
    for (const cycle of history) {
      for (let i = 0; i < EXCHANGES_PER_CYCLE; i++) {
        const [provider, receiver] = i % 2 === 0 ? aged.members : [...aged.members].reverse();
        await exchangeAt(db, aged, provider, receiver, 30 + i, hoursAfter(cycle.startsAt, i + 1));
      }
      await expireCircleCycle(db, aged.circleId, cycle.label, { now: cycle.endsAt });
    }
    for (const circle of [fresh, aged])
      await exchangeAt(db, circle, circle.members[0], circle.members[1], 45, FIXED_NOW);

    const [{ count: agedEntries }] = await db.query(
      `SELECT count(*) FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1`,
      [aged.circleId],
    );
    expect(Number(agedEntries)).toBeGreaterThan(HISTORY_CYCLES * EXCHANGES_PER_CYCLE * 2);
    expect(await confirmationReadWork(aged)).toBe(await confirmationReadWork(fresh));
    // A new moon started every account at zero: this cycle holds only this cycle's exchange.
    expect(await memberCycleBalance(db, aged.members[0].memberId, FIXED_CYCLE.label)).toBe(45);
    expect(await auditLedger(db, aged.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
  });
});

describe("exchange.confirmed", () => {
  it("reaches a consumer once per confirmed exchange, with the two members, the minutes and the cycle, and never for one refused or declined", async () => {
    const circle = await createCircle(db, 3, { openedAt: FIXED_CYCLE.startsAt });
    const [ada, bell, cy] = circle.members;
    const confirmed = await exchangeAt(db, circle, ada, bell, 50, FIXED_NOW);
    const declined = await proposeAt(db, circle, cy, bell, 20, FIXED_NOW);
    const asBell = {
      memberships: [{ circleId: circle.circleId, memberId: bell.memberId, roles: bell.roles }],
      clock: () => FIXED_NOW,
    };
    await decideExchange(db, { exchangeId: declined.id, action: "decline", ...asBell });
    await expect(decideExchange(db, { exchangeId: confirmed.id, action: "confirm", ...asBell })).rejects.toThrow(
      /already confirmed/,
    );
    const tooMuch = await proposeAt(db, circle, cy, bell, 24 * 60, FIXED_NOW);
    await expect(decideExchange(db, { exchangeId: tooMuch.id, action: "confirm", ...asBell })).rejects.toThrow(/floor/);

    expect(await eventsAbout(db, "exchange.confirmed", circle.circleId)).toEqual([
      {
        circleId: circle.circleId,
        exchangeId: confirmed.id,
        cycle: cycleContaining(FIXED_NOW).label,
        minutes: 50,
        memberIds: [ada.memberId, bell.memberId],
      },
    ]);
  });
});
