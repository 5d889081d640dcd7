import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { badInput, conflict, cycleContaining, emitEvent, forbidden } from "@rhizome/kit";
import {
  assertAccountsHold,
  assertBalanced,
  contributionEntries,
  disbursementDecision,
  disbursementEntries,
  type FundAccountKind,
  type FundEntry,
  type CycleFlow,
  type OutflowRow,
  type Purpose,
} from "../domain/fund.js";
import { rememberMember } from "./members.js";
import { settingsOf } from "./settings.js";
import type { Vault } from "./vault.js";

type Queryable = Pick<EntityManager, "query">;

/** Opens the circle's three accounts in a currency if needed and locks them, in id order, for the transaction. */
async function lockAccounts(
  manager: EntityManager,
  circleId: string,
  currency: string,
): Promise<Record<FundAccountKind, { id: string; balance: number }>> {
  await manager.query(
    `INSERT INTO fund_accounts (id, circle_id, currency, kind) SELECT gen_random_uuid(), $1, $2, k FROM unnest(ARRAY['HELD', 'CONTRIBUTED', 'DISBURSED']) AS k ON CONFLICT DO NOTHING`,
    [circleId, currency],
  );
  const rows: Array<{ id: string; kind: FundAccountKind; balance_minor: string }> = await manager.query(
    `SELECT id, kind, balance_minor FROM fund_accounts WHERE circle_id = $1 AND currency = $2 ORDER BY id FOR UPDATE`,
    [circleId, currency],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, { id: r.id, balance: Number(r.balance_minor) }])) as Record<
    FundAccountKind,
    { id: string; balance: number }
  >;
}

interface PlannedTransfer {
  circleId: string;
  kind: "CONTRIBUTION" | "DISBURSEMENT";
  currency: string;
  amountMinor: number;
  purpose?: Purpose;
  requestId?: string;
  pledgeId?: string | null;
  idempotencyKey?: string | null;
  recordedByMemberId: string;
  entries: FundEntry[];
}

/** Writes a transfer and its entries, moves the cached balances, and re-checks every touched account inside the transaction. */
async function postTransfer(
  manager: EntityManager,
  transfer: PlannedTransfer,
  now: Date,
): Promise<{ id: string; cycle: string } | undefined> {
  assertBalanced(transfer.entries);
  const cycle = cycleContaining(now).label;
  const id = randomUUID();
  const written = await manager.query(
    `INSERT INTO fund_transfers (id, circle_id, kind, currency, amount_minor, cycle, purpose, request_id, pledge_id, idempotency_key, recorded_by_member_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id`,
    [
      id,
      transfer.circleId,
      transfer.kind,
      transfer.currency,
      transfer.amountMinor,
      cycle,
      transfer.purpose ?? null,
      transfer.requestId ?? null,
      transfer.pledgeId ?? null,
      transfer.idempotencyKey ?? null,
      transfer.recordedByMemberId,
      now,
    ],
  );
  if (written.length === 0) return undefined;
  await manager.query(
    `INSERT INTO fund_entries (transfer_id, account_id, amount_minor) SELECT $1, a, m FROM unnest($2::uuid[], $3::bigint[]) AS t(a, m)`,
    [id, transfer.entries.map((e) => e.accountId), transfer.entries.map((e) => e.amountMinor)],
  );
  await manager.query(
    `UPDATE fund_accounts AS a SET balance_minor = a.balance_minor + d.delta FROM unnest($1::uuid[], $2::bigint[]) AS d(id, delta) WHERE a.id = d.id`,
    [transfer.entries.map((e) => e.accountId), transfer.entries.map((e) => e.amountMinor)],
  );
  const checked: Array<{ id: string; kind: FundAccountKind; balance_minor: string; entries_sum: string }> =
    await manager.query(
      `SELECT a.id, a.kind, a.balance_minor, COALESCE((SELECT sum(e.amount_minor) FROM fund_entries e WHERE e.account_id = a.id), 0) AS entries_sum
     FROM fund_accounts a WHERE a.id = ANY($1::uuid[])`,
      [transfer.entries.map((e) => e.accountId)],
    );
  assertAccountsHold(
    checked.map((r) => ({
      accountId: r.id,
      kind: r.kind,
      balanceMinor: Number(r.balance_minor),
      entriesSumMinor: Number(r.entries_sum),
    })),
  );
  return { id, cycle };
}

export async function pledge(
  db: Queryable,
  input: { circleId: string; memberId: string; amountMinor: number; currency: string },
  now: Date,
) {
  await rememberMember(db, input.circleId, input.memberId, now);
  const [row] = await db.query(
    `INSERT INTO fund_pledges (id, circle_id, member_id, amount_minor, currency, pledged_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, pledged_at`,
    [randomUUID(), input.circleId, input.memberId, input.amountMinor, input.currency, now],
  );
  return { id: row.id as string, pledgedAt: row.pledged_at as Date };
}

/** A steward records money received. A repeated idempotency key records nothing more. */
export async function recordContribution(
  manager: EntityManager,
  input: {
    circleId: string;
    stewardMemberId: string;
    amountMinor: number;
    currency: string;
    pledgeId?: string | null;
    idempotencyKey?: string | null;
  },
  now: Date,
): Promise<{ isNew: boolean; heldMinor: number }> {
  if (input.pledgeId) {
    const [pledged] = await manager.query(`SELECT currency FROM fund_pledges WHERE id = $1 AND circle_id = $2`, [
      input.pledgeId,
      input.circleId,
    ]);
    if (!pledged) throw badInput("No pledge with that id in this circle.");
    if (pledged.currency !== input.currency)
      throw badInput(`That pledge is in ${pledged.currency}, not ${input.currency}.`);
  }
  const accounts = await lockAccounts(manager, input.circleId, input.currency);
  const posted = await postTransfer(
    manager,
    {
      circleId: input.circleId,
      kind: "CONTRIBUTION",
      currency: input.currency,
      amountMinor: input.amountMinor,
      pledgeId: input.pledgeId,
      idempotencyKey: input.idempotencyKey,
      recordedByMemberId: input.stewardMemberId,
      entries: contributionEntries(accounts.HELD.id, accounts.CONTRIBUTED.id, input.amountMinor),
    },
    now,
  );
  return { isNew: posted !== undefined, heldMinor: accounts.HELD.balance + (posted ? input.amountMinor : 0) };
}

export interface DisbursementRow {
  id: string;
  circleId: string;
  recipientMemberId: string;
  amountMinor: number;
  currency: string;
  purpose: Purpose;
  reasonSealed: Buffer;
  status: "REQUESTED" | "APPROVED" | "DECLINED" | "PAID";
  requestedAt: Date;
  decidedAt: Date | null;
  paidAt: Date | null;
}

const toDisbursement = (r: Record<string, never>): DisbursementRow => ({
  id: r.id,
  circleId: r.circle_id,
  recipientMemberId: r.recipient_member_id,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
  purpose: r.purpose,
  reasonSealed: r.reason_sealed,
  status: r.status,
  requestedAt: r.requested_at,
  decidedAt: r.decided_at,
  paidAt: r.paid_at,
});

export async function requestDisbursement(
  manager: EntityManager,
  vault: Vault,
  input: {
    circleId: string;
    memberId: string;
    amountMinor: number;
    currency: string;
    purpose: Purpose;
    reason: string;
  },
  now: Date,
): Promise<DisbursementRow> {
  await rememberMember(manager, input.circleId, input.memberId, now);
  const id = randomUUID();
  const reasonSealed = await vault.seal(manager, input.circleId, "fund-reason", id, input.reason, now);
  const [row] = await manager.query(
    `INSERT INTO disbursement_requests (id, circle_id, recipient_member_id, amount_minor, currency, purpose, reason_sealed, status, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'REQUESTED', $8) RETURNING *`,
    [id, input.circleId, input.memberId, input.amountMinor, input.currency, input.purpose, reasonSealed, now],
  );
  return toDisbursement(row);
}

export async function disbursementsByIds(db: Queryable, ids: readonly string[]): Promise<DisbursementRow[]> {
  return (await db.query(`SELECT * FROM disbursement_requests WHERE id = ANY($1::uuid[])`, [ids])).map(toDisbursement);
}

export async function disbursementsOfCircle(
  db: Queryable,
  circleId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<DisbursementRow[]> {
  const rows = await db.query(
    `SELECT * FROM disbursement_requests WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (requested_at, id) < ($2, $3::uuid)) ORDER BY requested_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map(toDisbursement);
}

async function lockRequest(manager: EntityManager, requestId: string): Promise<DisbursementRow> {
  const [row] = await manager.query(`SELECT * FROM disbursement_requests WHERE id = $1 FOR UPDATE`, [requestId]);
  return toDisbursement(row);
}

/** A steward approves or objects; the circle's rule (consent of enough stewards) decides the request. */
export async function decideDisbursement(
  manager: EntityManager,
  requestId: string,
  stewardMemberId: string,
  approves: boolean,
  now: Date,
): Promise<DisbursementRow> {
  const request = await lockRequest(manager, requestId);
  if (request.status !== "REQUESTED") throw conflict(`This request is already ${request.status}.`);
  if (request.recipientMemberId === stewardMemberId)
    throw forbidden("A steward does not decide a request they would receive.");
  await manager.query(
    `INSERT INTO disbursement_decisions (request_id, circle_id, steward_member_id, approves, decided_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (request_id, steward_member_id) DO UPDATE SET approves = $4, decided_at = $5`,
    [requestId, request.circleId, stewardMemberId, approves, now],
  );
  const [{ approvals, objections }]: Array<{ approvals: string; objections: string }> = await manager.query(
    `SELECT count(*) FILTER (WHERE approves) AS approvals, count(*) FILTER (WHERE NOT approves) AS objections FROM disbursement_decisions WHERE request_id = $1`,
    [requestId],
  );
  const settings = await settingsOf(manager, request.circleId);
  const status = disbursementDecision(Number(approvals), Number(objections), settings.fundApprovalsNeeded);
  if (status === "REQUESTED") return request;
  const [[row]] = await manager.query(
    `UPDATE disbursement_requests SET status = $2, decided_at = $3 WHERE id = $1 RETURNING *`,
    [requestId, status, now],
  );
  return toDisbursement(row);
}

/**
 * A steward records that an approved request was paid: HELD is debited, DISBURSED credited, and the
 * crisis the fund buffered is told to the hub (with a pseudonym of who was helped, never their id),
 * all in one transaction.
 */
export async function recordDisbursement(
  manager: EntityManager,
  vault: Vault,
  requestId: string,
  stewardMemberId: string,
  now: Date,
): Promise<DisbursementRow> {
  const request = await lockRequest(manager, requestId);
  if (request.status === "PAID") return request;
  if (request.status !== "APPROVED") throw conflict(`Only an approved request is paid; this one is ${request.status}.`);
  const accounts = await lockAccounts(manager, request.circleId, request.currency);
  if (accounts.HELD.balance < request.amountMinor) {
    throw badInput(
      `The fund holds ${accounts.HELD.balance} ${request.currency} minor units, less than the ${request.amountMinor} this request needs.`,
    );
  }
  const posted = await postTransfer(
    manager,
    {
      circleId: request.circleId,
      kind: "DISBURSEMENT",
      currency: request.currency,
      amountMinor: request.amountMinor,
      purpose: request.purpose,
      requestId,
      recordedByMemberId: stewardMemberId,
      entries: disbursementEntries(accounts.HELD.id, accounts.DISBURSED.id, request.amountMinor),
    },
    now,
  );
  if (!posted) throw new Error(`Request ${requestId} already has a disbursement although it was APPROVED.`);
  const [[row]] = await manager.query(
    `UPDATE disbursement_requests SET status = 'PAID', paid_at = $2 WHERE id = $1 RETURNING *`,
    [requestId, now],
  );
  // Who was helped leaves only as a pseudonym, so the hub counts people without learning whom.
  const helpedKey = await vault.pseudonym(
    manager,
    request.circleId,
    "helpedPerson",
    posted.cycle,
    request.recipientMemberId,
    now,
  );
  await emitEvent(
    manager,
    "crisis.buffered",
    { circleId: request.circleId, caseId: requestId, cycle: posted.cycle, via: "FUND", helpedKey },
    now,
  );
  return toDisbursement(row);
}

export async function heldBalances(
  db: Queryable,
  circleId: string,
): Promise<Array<{ currency: string; heldMinor: number }>> {
  const rows: Array<{ currency: string; balance_minor: string }> = await db.query(
    `SELECT currency, balance_minor FROM fund_accounts WHERE circle_id = $1 AND kind = 'HELD' ORDER BY currency`,
    [circleId],
  );
  return rows.map((r) => ({ currency: r.currency, heldMinor: Number(r.balance_minor) }));
}

/** Per currency and cycle: the fund's net change, how many contributions, and who received money. */
export async function flowsByCycle(db: Queryable, circleId: string): Promise<CycleFlow[]> {
  const rows: Array<{ currency: string; cycle: string; net: string; contributions: string; recipients: string[] }> =
    await db.query(
      `SELECT t.currency, t.cycle,
       sum(CASE WHEN t.kind = 'CONTRIBUTION' THEN t.amount_minor ELSE -t.amount_minor END) AS net,
       count(*) FILTER (WHERE t.kind = 'CONTRIBUTION') AS contributions,
       COALESCE(array_agg(DISTINCT r.recipient_member_id) FILTER (WHERE r.recipient_member_id IS NOT NULL), '{}') AS recipients
     FROM fund_transfers t LEFT JOIN disbursement_requests r ON r.id = t.request_id
     WHERE t.circle_id = $1 GROUP BY t.currency, t.cycle ORDER BY t.currency, t.cycle`,
      [circleId],
    );
  return rows.map((r) => ({
    currency: r.currency,
    cycle: r.cycle,
    netMinor: Number(r.net),
    contributions: Number(r.contributions),
    recipientMemberIds: r.recipients,
  }));
}

/** A cycle's flows: contributions per currency with their count, and each disbursement's purpose, recipient and amount. */
export async function cycleFlows(db: Queryable, circleId: string, cycle: string) {
  const inflows: Array<{ currency: string; total: string; count: string }> = await db.query(
    `SELECT currency, sum(amount_minor) AS total, count(*) AS count FROM fund_transfers WHERE circle_id = $1 AND cycle = $2 AND kind = 'CONTRIBUTION' GROUP BY currency`,
    [circleId, cycle],
  );
  const outflows: Array<{ currency: string; purpose: Purpose; recipient_member_id: string; amount_minor: string }> =
    await db.query(
      `SELECT t.currency, t.purpose, r.recipient_member_id, t.amount_minor FROM fund_transfers t JOIN disbursement_requests r ON r.id = t.request_id
     WHERE t.circle_id = $1 AND t.cycle = $2 AND t.kind = 'DISBURSEMENT'`,
      [circleId, cycle],
    );
  return {
    inflows: inflows.map((r) => ({
      currency: r.currency,
      totalMinor: Number(r.total),
      contributions: Number(r.count),
    })),
    outflows: outflows.map((r) => ({
      currency: r.currency,
      row: {
        purpose: r.purpose,
        recipientMemberId: r.recipient_member_id,
        amountMinor: Number(r.amount_minor),
      } satisfies OutflowRow,
    })),
  };
}
