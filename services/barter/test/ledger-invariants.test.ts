import fc from "fast-check";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { cycleContaining } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import { validateProposal, type ExchangeAction } from "../src/domain/exchanges.js";
import { decideExchange, proposeExchange } from "./support/ledger.js";
import { createCircle } from "./support/circles.js";
import { auditLedger } from "./support/database.js";
import { useBarterDatabase } from "./support/lifecycle.js";

const MEMBERS = 4;
const RUNS = 30;
const MIN_OPERATIONS = 10;
const MAX_OPERATIONS = 30;

type Operation =
  | { kind: "propose"; provider: number; receiver: number; minutes: number; byProvider: boolean }
  | { kind: "decide"; exchange: number; action: ExchangeAction; byProposer: boolean };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant("propose" as const),
    provider: fc.integer({ min: 0, max: MEMBERS - 1 }),
    receiver: fc.integer({ min: 0, max: MEMBERS - 1 }),
    minutes: fc.oneof(fc.integer({ min: 1, max: 180 }), fc.constantFrom(0, -5, 1440, 1441)),
    byProvider: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("decide" as const),
    exchange: fc.nat({ max: MAX_OPERATIONS }),
    action: fc.constantFrom<ExchangeAction>("confirm", "confirm", "decline", "cancel"),
    byProposer: fc.boolean(),
  }),
);

let db: DataSource;

useBarterDatabase((opened) => (db = opened));

function codeOf(error: unknown): string {
  if (error instanceof GraphQLError) return String(error.extensions.code);
  throw error;
}

describe("the ledger under random sequences of proposals and decisions", () => {
  it("keeps double entry, cached balances, limits and a model of the balances in agreement", async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: MIN_OPERATIONS, maxLength: MAX_OPERATIONS }),
        fc.integer({ min: -240, max: 0 }),
        fc.integer({ min: 0, max: 240 }),
        async (operations, floorMinutes, ceilingMinutes) => {
          const now = new Date();
          const circle = await createCircle(db, MEMBERS, { openedAt: now });
          await db.query(`UPDATE circle_settings SET floor_minutes = $2, ceiling_minutes = $3 WHERE circle_id = $1`, [
            circle.circleId,
            floorMinutes,
            ceilingMinutes,
          ]);
          const model = new Map(circle.members.map((m) => [m.memberId, 0]));
          const exchanges: Array<{
            id: string;
            provider: string;
            receiver: string;
            proposer: string;
            other: string;
            minutes: number;
            status: string;
          }> = [];

          for (const op of operations) {
            if (op.kind === "propose") {
              const provider = circle.members[op.provider];
              const receiver = circle.members[op.receiver];
              const proposer = op.byProvider ? provider : receiver;
              const validated = validateProposal(
                {
                  providerMemberId: provider.memberId,
                  receiverMemberId: receiver.memberId,
                  minutes: op.minutes,
                  skill: "repair",
                },
                proposer.memberId,
              );
              const isValid = op.minutes >= 1 && op.minutes <= 1440 && op.provider !== op.receiver;
              expect("proposal" in validated).toBe(isValid);
              if (!("proposal" in validated)) continue;
              const row = await proposeExchange(db, circle.circleId, validated.proposal, now);
              const other = op.byProvider ? receiver.memberId : provider.memberId;
              exchanges.push({
                id: row.id,
                provider: provider.memberId,
                receiver: receiver.memberId,
                proposer: proposer.memberId,
                other,
                minutes: op.minutes,
                status: "PENDING",
              });
              continue;
            }
            const exchange = exchanges[op.exchange % Math.max(exchanges.length, 1)];
            if (!exchange) continue;
            const actor = op.byProposer ? exchange.proposer : exchange.other;
            const providerAfter = model.get(exchange.provider)! + exchange.minutes;
            const receiverAfter = model.get(exchange.receiver)! - exchange.minutes;
            const expected =
              exchange.status !== "PENDING"
                ? "CONFLICT"
                : (op.action === "cancel") !== op.byProposer
                  ? "FORBIDDEN"
                  : op.action === "confirm" && (receiverAfter < floorMinutes || providerAfter > ceilingMinutes)
                    ? "BAD_USER_INPUT"
                    : "OK";
            let outcome = "OK";
            try {
              await decideExchange(db, {
                exchangeId: exchange.id,
                action: op.action,
                memberships: [{ circleId: circle.circleId, memberId: actor, roles: ["member"] }],
                clock: () => now,
              });
            } catch (error) {
              outcome = codeOf(error);
            }
            expect(outcome).toBe(expected);
            outcomes.set(`${op.action}:${outcome}`, (outcomes.get(`${op.action}:${outcome}`) ?? 0) + 1);
            if (outcome === "OK") {
              exchange.status =
                op.action === "confirm" ? "CONFIRMED" : op.action === "decline" ? "DECLINED" : "CANCELLED";
              if (op.action === "confirm") {
                model.set(exchange.provider, providerAfter);
                model.set(exchange.receiver, receiverAfter);
              }
            }
          }

          const audit = await auditLedger(db, circle.circleId);
          expect(audit).toEqual({ balancesNotMatchingEntries: [], unbalancedTransfers: [], totalMinutes: 0 });
          const rows: Array<{ member_id: string; balance_minutes: number }> = await db.query(
            `SELECT a.member_id, COALESCE(c.balance_minutes, 0) AS balance_minutes FROM accounts a
             LEFT JOIN account_cycles c ON c.account_id = a.id AND c.cycle = $2 WHERE a.circle_id = $1 AND a.kind = 'MEMBER'`,
            [circle.circleId, cycleContaining(now).label],
          );
          for (const row of rows) {
            expect(row.balance_minutes).toBe(model.get(row.member_id));
            expect(row.balance_minutes).toBeGreaterThanOrEqual(floorMinutes);
            expect(row.balance_minutes).toBeLessThanOrEqual(ceilingMinutes);
          }
          const statuses: Array<{ id: string; status: string }> = await db.query(
            `SELECT id, status FROM exchanges WHERE circle_id = $1`,
            [circle.circleId],
          );
          expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual(
            Object.fromEntries(exchanges.map((x) => [x.id, x.status])),
          );
        },
      ),
      { numRuns: RUNS },
    );
    // The property is not vacuous: credits moved, and limits and rules refused some decisions.
    expect(outcomes.get("confirm:OK")).toBeGreaterThan(0);
    expect(outcomes.get("confirm:BAD_USER_INPUT")).toBeGreaterThan(0);
    expect(outcomes.get("confirm:FORBIDDEN")).toBeGreaterThan(0);
  });
});
