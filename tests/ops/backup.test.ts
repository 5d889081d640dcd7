import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { backupDatabase, restoreDatabase, startLocalStack, type LocalStack } from "@rhizome/infra";
import { bearer, circleWithMembers, eventually, type Session } from "@rhizome/kit/testing";
import { dataOrThrow, gql } from "@rhizome/kit";

const PROPOSE = `mutation BackupPropose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id } }`;
const CONFIRM = `mutation BackupConfirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;

async function query<Row extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("backup and restore", () => {
  const gatewayUrl = inject("gatewayUrl");
  const databaseUrl = inject("databaseUrl");
  let folder: string | undefined;
  let target: LocalStack | undefined;
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
    await target?.stop();
  });

  async function exchange(circleId: string, provider: Session, receiver: Session, minutes: number): Promise<void> {
    const input = {
      circleId,
      providerMemberId: provider.memberId,
      receiverMemberId: receiver.memberId,
      minutes,
      skill: "Bike Repair",
    };
    const proposed = dataOrThrow(
      await gql(gatewayUrl, PROPOSE, { input }, bearer(provider.token)),
      "propose",
    ).proposeExchange;
    dataOrThrow(await gql(gatewayUrl, CONFIRM, { id: proposed.id }, bearer(receiver.token)), "confirm");
  }

  it("restores a dump taken while members trade into a fresh database, every ledger balanced and every balance equal to its entries", async () => {
    const { circle, members } = await circleWithMembers(gatewayUrl, ["ada", "bell", "cedar"], "backup");
    const { ada, bell, cedar } = members;
    // Barter learns of the circle and each member from network's events; the first exchanges wait for that.
    await eventually(
      () =>
        exchange(circle.id, ada, bell, 30).then(
          () => true,
          () => undefined,
        ),
      "barter to know the new circle",
    );
    await eventually(
      () =>
        exchange(circle.id, bell, cedar, 45).then(
          () => true,
          () => undefined,
        ),
      "barter to know the third member",
    );

    folder = await mkdtemp(path.join(os.tmpdir(), "rhizome-backup-"));
    const file = path.join(folder, "hub.backup.gz");
    // Trades go on while the dump is taken: it must hold each transfer whole or not at all.
    const trading = (async () => {
      for (let i = 0; i < 6; i++) await exchange(circle.id, i % 2 ? ada : cedar, bell, 5 + i);
    })();
    const [summary] = await Promise.all([backupDatabase(databaseUrl, file), trading]);
    expect(summary.schemas).toContain("barter");
    expect(summary.rows).toBeGreaterThan(0);

    // Another cluster, as after losing a server: its transaction ids start far below the hub's.
    target = await startLocalStack({ ephemeral: true, redisUrl: inject("redisUrl") });
    const restoredUrl = target.databaseUrl;
    const restored = await restoreDatabase(file, { databaseUrl: restoredUrl });
    expect(restored).toEqual(summary);

    const unbalanced = await query(
      restoredUrl,
      `SELECT t.id FROM barter.transfers t JOIN barter.entries e ON e.transfer_id = t.id GROUP BY t.id HAVING sum(e.amount_minutes) <> 0`,
    );
    expect(unbalanced).toEqual([]);
    // Barter keeps each account's balance per cycle; a member's closing entries (credits expired, debts
    // annulled) are the cycle's history, not part of what it held.
    const entriesOfCycle = `COALESCE((SELECT sum(e.amount_minutes) FROM barter.entries e JOIN barter.transfers t ON t.id = e.transfer_id
        WHERE e.account_id = c.account_id AND e.cycle = c.cycle AND (a.kind = 'COMMONS' OR t.kind NOT IN ('CREDITS_EXPIRED', 'DEBTS_ANNULLED'))), 0)`;
    const mismatched = await query(
      restoredUrl,
      `SELECT c.account_id FROM barter.account_cycles c JOIN barter.accounts a ON a.id = c.account_id WHERE c.balance_minutes <> ${entriesOfCycle}`,
    );
    expect(mismatched).toEqual([]);
    const [{ transfers }] = await query<{ transfers: number }>(
      restoredUrl,
      `SELECT count(*)::int AS transfers FROM barter.transfers WHERE circle_id = $1`,
      [circle.id],
    );
    expect(transfers).toBeGreaterThanOrEqual(2); // the two confirmed before the dump began
    const adaBalances = await query<{ balance: number; entries: number }>(
      restoredUrl,
      `SELECT c.balance_minutes AS balance, ${entriesOfCycle}::int AS entries FROM barter.account_cycles c JOIN barter.accounts a ON a.id = c.account_id WHERE a.member_id = $1`,
      [ada.memberId],
    );
    expect(adaBalances.length).toBeGreaterThan(0);
    expect(adaBalances.some(({ balance }) => balance !== 0)).toBe(true);
    for (const { balance, entries } of adaBalances) expect(balance).toBe(entries);

    // Event delivery goes on: an event written now comes after every restored event and every consumer's cursor.
    const cursors: Array<{ consumer: string; source: string; position: string }> = [];
    for (const schema of summary.schemas) {
      const rows = await query<{ source: string; position: string }>(
        restoredUrl,
        `SELECT source, position FROM ${schema}.event_cursors`,
      ).catch(() => []);
      cursors.push(...rows.map((row) => ({ consumer: schema, ...row })));
    }
    expect(cursors.length).toBeGreaterThan(0);
    for (const cursor of cursors) {
      const client = new pg.Client({ connectionString: restoredUrl });
      await client.connect();
      try {
        await client.query("BEGIN");
        await client.query(
          `INSERT INTO ${cursor.source}.outbox (id, topic, circle_id, payload, occurred_at) VALUES ($1, 'restore.check', $2, '{}', now())`,
          [randomUUID(), circle.id],
        );
        await client.query("COMMIT");
        const [tx, seq] = cursor.position.split(":");
        const after = await client.query(
          `SELECT topic FROM ${cursor.source}.outbox WHERE (tx, seq) > ($1::xid8, $2::bigint) AND tx < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY tx, seq`,
          [tx, seq],
        );
        expect(
          after.rows.map((row) => row.topic),
          `${cursor.consumer} reading ${cursor.source}`,
        ).toContain("restore.check");
        const stranded = await client.query(
          `SELECT count(*)::int AS n FROM ${cursor.source}.outbox WHERE tx >= pg_snapshot_xmin(pg_current_snapshot())`,
        );
        expect(stranded.rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    }

    await expect(restoreDatabase(file, { databaseUrl: restoredUrl })).rejects.toThrow(/already holds rows/);
  }, 180_000);
});
