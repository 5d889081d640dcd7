import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { rememberMember } from "./members.js";
import { returnedRow } from "./returned.js";

export interface AgreementRow {
  id: string;
  circleId: string;
  version: number;
  text: string;
  publishedAt: Date;
}

const AGREEMENT_COLUMNS = `id, circle_id, version, text, published_at`;

/** Publishes the next version; an advisory lock on the circle serializes two publications. */
export async function publishAgreement(
  tx: Queryable,
  circleId: string,
  memberId: string,
  text: string,
  now: Date,
): Promise<AgreementRow> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('defense.agreement:' || $1))`, [circleId]);
  const latest = await sqlRow<{ next: number }>(
    tx,
    `SELECT COALESCE(max(version), 0) + 1 AS next FROM agreements WHERE circle_id = $1`,
    [circleId],
  );
  const row = await sqlRow<AgreementRow>(
    tx,
    `INSERT INTO agreements (id, circle_id, version, text, published_by_member_id, published_at) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${AGREEMENT_COLUMNS}`,
    [randomUUID(), circleId, latest?.next ?? 1, text, memberId, now],
  );
  return returnedRow(row, "INSERT INTO agreements");
}

export async function currentAgreement(db: Queryable, circleId: string): Promise<AgreementRow | undefined> {
  return sqlRow<AgreementRow>(
    db,
    `SELECT ${AGREEMENT_COLUMNS} FROM agreements WHERE circle_id = $1 ORDER BY version DESC LIMIT 1`,
    [circleId],
  );
}

export async function agreementVersion(
  db: Queryable,
  circleId: string,
  version: number,
): Promise<AgreementRow | undefined> {
  return sqlRow<AgreementRow>(db, `SELECT ${AGREEMENT_COLUMNS} FROM agreements WHERE circle_id = $1 AND version = $2`, [
    circleId,
    version,
  ]);
}

/** Records the member's signature of a version; signing twice changes nothing. */
export async function addSignature(tx: Queryable, agreement: AgreementRow, memberId: string, now: Date): Promise<void> {
  await rememberMember(tx, agreement.circleId, memberId, now);
  await tx.query(
    `INSERT INTO agreement_signatures (agreement_id, circle_id, member_id, signed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [agreement.id, agreement.circleId, memberId, now],
  );
}

export async function signatureCount(db: Queryable, agreementId: string): Promise<number> {
  const row = await sqlRow<{ count: number }>(
    db,
    `SELECT count(*)::int AS count FROM agreement_signatures WHERE agreement_id = $1`,
    [agreementId],
  );
  return row?.count ?? 0;
}

export async function hasSigned(db: Queryable, agreementId: string, memberId: string): Promise<boolean> {
  const row = await sqlRow(db, `SELECT 1 FROM agreement_signatures WHERE agreement_id = $1 AND member_id = $2`, [
    agreementId,
    memberId,
  ]);
  return row !== undefined;
}

export async function signersOf(
  db: Queryable,
  agreementId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<Array<{ memberId: string; signedAt: Date }>> {
  return sqlRows<{ memberId: string; signedAt: Date }>(
    db,
    `SELECT member_id, signed_at FROM agreement_signatures WHERE agreement_id = $1 AND ($2::timestamptz IS NULL OR (signed_at, member_id) < ($2, $3::uuid))
     ORDER BY signed_at DESC, member_id DESC LIMIT $4`,
    [agreementId, after?.at ?? null, after?.id ?? null, limit],
  );
}
