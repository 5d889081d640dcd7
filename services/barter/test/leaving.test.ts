import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { validateProposal } from "../src/domain/exchanges.js";
import { closeMemberAccount, openMemberAccount } from "../src/store/accounts.js";
import { decideExchange, proposeExchange, exchangeAt, hoursAfter, proposeAt } from "./support/ledger.js";
import { publishListing } from "./support/actions.js";
import { createCircle, type TestCircle, type TestMember } from "./support/circles.js";
import { FIXED_CYCLE, FIXED_NOW } from "./support/clock.js";
import { auditLedger, ledgerSnapshot, memberBalance } from "./support/database.js";
import { useBarterDatabase } from "./support/lifecycle.js";

let db: DataSource;
useBarterDatabase((opened) => (db = opened));

const BALANCED = { balancesNotMatchingEntries: [], unbalancedTransfers: [], totalMinutes: 0 };
const leftAt = hoursAfter(FIXED_NOW, 2);

const leave = (circle: TestCircle, member: TestMember, at = leftAt) =>
  db.transaction((manager) => closeMemberAccount(manager, circle.circleId, member.memberId, at));

async function commonsBalance(circleId: string): Promise<number> {
  const [{ held }] = await db.query(
    `SELECT COALESCE(sum(e.amount_minutes), 0) AS held FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1 AND a.kind = 'COMMONS'`,
    [circleId],
  );
  return Number(held);
}

async function codeOf(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof GraphQLError) return String(error.extensions.code);
    throw error;
  }
  throw new Error("Expected the attempt to be refused.");
}

function propose(circle: TestCircle, by: TestMember, provider: TestMember, receiver: TestMember) {
  const result = validateProposal(
    { providerMemberId: provider.memberId, receiverMemberId: receiver.memberId, minutes: 30, skill: "cooking" },
    by.memberId,
  );
  if ("problem" in result) throw new Error(result.problem);
  return proposeExchange(db, circle.circleId, result.proposal, leftAt);
}

describe("a member who leaves the circle", () => {
  it("returns their credits to the commons, cancels their pending exchanges, withdraws their listings and closes their account", async () => {
    const circle = await createCircle(db, 3, { openedAt: FIXED_NOW });
    const [ada, bell, cy] = circle.members;
    await exchangeAt(db, circle, ada, bell, 90, FIXED_NOW);
    const pendingWithAda = await proposeAt(db, circle, cy, ada, 20, FIXED_NOW);
    const pendingElsewhere = await proposeAt(db, circle, cy, bell, 10, FIXED_NOW);
    await publishListing(
      db,
      { circleId: circle.circleId, memberId: ada.memberId, kind: "OFFER", skills: ["cooking"], description: "Soup" },
      FIXED_NOW,
    );

    const closure = await leave(circle, ada);

    expect(closure).toEqual({
      wasAlreadyClosed: false,
      returnedToCommonsMinutes: 90,
      exchangesCancelled: 1,
      listingsWithdrawn: 1,
    });
    expect(await memberBalance(db, ada.memberId)).toBe(0);
    expect(await memberBalance(db, bell.memberId)).toBe(-90);
    expect(await commonsBalance(circle.circleId)).toBe(90);
    expect(await auditLedger(db, circle.circleId)).toEqual(BALANCED);
    const transfers = await db.query(
      `SELECT kind, cycle, recorded_at FROM transfers WHERE circle_id = $1 AND kind = 'MEMBER_LEFT'`,
      [circle.circleId],
    );
    expect(transfers).toEqual([{ kind: "MEMBER_LEFT", cycle: FIXED_CYCLE.label, recorded_at: leftAt }]);
    const statuses = Object.fromEntries(
      (await db.query(`SELECT id, status FROM exchanges WHERE circle_id = $1`, [circle.circleId])).map(
        (x: { id: string; status: string }) => [x.id, x.status],
      ),
    );
    expect(statuses[pendingWithAda.id]).toBe("CANCELLED");
    expect(statuses[pendingElsewhere.id]).toBe("PENDING");
    const [{ open }] = await db.query(
      `SELECT count(*) AS open FROM listings WHERE member_id = $1 AND withdrawn_at IS NULL`,
      [ada.memberId],
    );
    expect(Number(open)).toBe(0);
  });

  it("forgives a debtor's debts the same way, keeping every balance equal to its entries", async () => {
    const circle = await createCircle(db, 2, { openedAt: FIXED_NOW });
    const [ada, bell] = circle.members;
    await exchangeAt(db, circle, ada, bell, 45, FIXED_NOW);
    expect((await leave(circle, bell)).returnedToCommonsMinutes).toBe(-45);
    expect(await commonsBalance(circle.circleId)).toBe(-45);
    expect(await memberBalance(db, bell.memberId)).toBe(0);
    expect(await auditLedger(db, circle.circleId)).toEqual(BALANCED);
  });

  it("is recorded once however often the event arrives", async () => {
    const circle = await createCircle(db, 2, { openedAt: FIXED_NOW });
    const [ada, bell] = circle.members;
    await exchangeAt(db, circle, ada, bell, 60, FIXED_NOW);
    await leave(circle, ada);
    const before = await ledgerSnapshot(db, circle.circleId);
    expect(await leave(circle, ada, hoursAfter(leftAt, 1))).toEqual({
      wasAlreadyClosed: true,
      returnedToCommonsMinutes: 0,
      exchangesCancelled: 0,
      listingsWithdrawn: 0,
    });
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
    const [{ closed_at }] = await db.query(`SELECT closed_at FROM accounts WHERE member_id = $1`, [ada.memberId]);
    expect(closed_at).toEqual(leftAt);
  });

  it("can no longer propose, confirm or publish, and cannot be proposed to", async () => {
    const circle = await createCircle(db, 3, { openedAt: FIXED_NOW });
    const [ada, bell, cy] = circle.members;
    const toConfirmLater = await proposeAt(db, circle, bell, cy, 15, FIXED_NOW);
    await leave(circle, ada);
    await leave(circle, cy);

    expect(await codeOf(propose(circle, ada, ada, bell))).toBe("FORBIDDEN");
    expect(await codeOf(propose(circle, bell, bell, ada))).toBe("NOT_FOUND");
    const listing = {
      circleId: circle.circleId,
      memberId: ada.memberId,
      kind: "OFFER" as const,
      skills: ["cooking"],
      description: "Soup",
    };
    expect(await codeOf(publishListing(db, listing, leftAt))).toBe("FORBIDDEN");
    // cy's pending exchange was cancelled when they left.
    const confirm = decideExchange(db, {
      exchangeId: toConfirmLater.id,
      action: "confirm",
      memberships: [{ circleId: circle.circleId, memberId: cy.memberId, roles: cy.roles }],
      clock: () => leftAt,
    });
    expect(await codeOf(confirm)).toBe("FORBIDDEN");
    expect(await auditLedger(db, circle.circleId)).toEqual(BALANCED);
  });

  it("who barter never heard of stays out when their join event arrives late", async () => {
    const circle = await createCircle(db, 1, { openedAt: FIXED_NOW });
    const ghost = {
      memberId: randomUUID(),
      personId: randomUUID(),
      circleId: circle.circleId,
      roles: ["member" as const],
      token: "",
    };
    expect(await leave(circle, ghost)).toMatchObject({ wasAlreadyClosed: false, returnedToCommonsMinutes: 0 });
    await db.transaction((manager) =>
      openMemberAccount(manager, circle.circleId, ghost.memberId, hoursAfter(leftAt, 1)),
    );
    expect(await codeOf(propose(circle, ghost, ghost, circle.members[0]))).toBe("FORBIDDEN");
  });
});
