import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createCircle } from "./support/circles.js";
import { useBarterDatabase } from "./support/lifecycle.js";
import { ledgerSnapshot } from "./support/database.js";
import { exchangeAt } from "./support/ledger.js";

let db: DataSource;

useBarterDatabase((opened) => (db = opened));

async function accountsOf(circleId: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.query(
    `SELECT id FROM accounts WHERE circle_id = $1 AND kind = 'MEMBER' ORDER BY id`,
    [circleId],
  );
  return rows.map((row) => row.id);
}

describe("the database itself guards the ledger", () => {
  it("refuses a transfer whose entries do not sum to zero, even from code that skips the checks", async () => {
    const circle = await createCircle(db, 2);
    const [first, second] = await accountsOf(circle.circleId);
    const before = await ledgerSnapshot(db, circle.circleId);
    const attempt = db.transaction(async (manager) => {
      const [{ id }] = await manager.query(
        `INSERT INTO transfers (circle_id, kind, cycle, expired_account_id, recorded_at) VALUES ($1, 'CREDITS_EXPIRED', '2026-11-09', $2, now()) RETURNING id`,
        [circle.circleId, first],
      );
      await manager.query(
        `INSERT INTO entries (transfer_id, account_id, amount_minutes, cycle) VALUES ($1, $2, -60, '2026-11-09'), ($1, $3, 59, '2026-11-09')`,
        [id, first, second],
      );
    });
    await expect(attempt).rejects.toThrow(/unbalanced: its entries sum to -1 minutes/);
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  });

  it("refuses to change or delete history: corrections are new entries", async () => {
    const circle = await createCircle(db, 2);
    const [provider, receiver] = circle.members;
    await exchangeAt(db, circle, provider, receiver, 60, new Date());
    const before = await ledgerSnapshot(db, circle.circleId);
    await expect(
      db.query(`UPDATE entries SET amount_minutes = amount_minutes * 2 WHERE account_id = ANY($1)`, [
        await accountsOf(circle.circleId),
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM transfers WHERE circle_id = $1`, [circle.circleId])).rejects.toThrow(
      /append-only/,
    );
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  });
});
