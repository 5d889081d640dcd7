import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { notFound } from "@rhizome/kit";
import { rememberMember } from "./members.js";

type Queryable = Pick<EntityManager, "query">;

export interface AgreementRow {
  id: string;
  circleId: string;
  version: number;
  text: string;
  publishedAt: Date;
}

const toAgreement = (r: Record<string, never>): AgreementRow => ({
  id: r.id,
  circleId: r.circle_id,
  version: r.version,
  text: r.text,
  publishedAt: r.published_at,
});

/** Publishes the next version; the circle's row lock on its latest version serializes two publications. */
export async function publishAgreement(
  manager: EntityManager,
  circleId: string,
  memberId: string,
  text: string,
  now: Date,
): Promise<AgreementRow> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('defense.agreement:' || $1))`, [circleId]);
  const [{ next }]: Array<{ next: number }> = await manager.query(
    `SELECT COALESCE(max(version), 0) + 1 AS next FROM agreements WHERE circle_id = $1`,
    [circleId],
  );
  const [row] = await manager.query(
    `INSERT INTO agreements (id, circle_id, version, text, published_by_member_id, published_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [randomUUID(), circleId, next, text, memberId, now],
  );
  return toAgreement(row);
}

export async function currentAgreement(db: Queryable, circleId: string): Promise<AgreementRow | undefined> {
  const [row] = await db.query(`SELECT * FROM agreements WHERE circle_id = $1 ORDER BY version DESC LIMIT 1`, [
    circleId,
  ]);
  return row && toAgreement(row);
}

export async function signAgreement(
  manager: EntityManager,
  circleId: string,
  memberId: string,
  version: number,
  now: Date,
): Promise<AgreementRow> {
  const [row] = await manager.query(`SELECT * FROM agreements WHERE circle_id = $1 AND version = $2`, [
    circleId,
    version,
  ]);
  if (!row) throw notFound(`The circle has no agreement version ${version}.`);
  await rememberMember(manager, circleId, memberId, now);
  await manager.query(
    `INSERT INTO agreement_signatures (agreement_id, circle_id, member_id, signed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [row.id, circleId, memberId, now],
  );
  return toAgreement(row);
}

export async function signatureCount(db: Queryable, agreementId: string): Promise<number> {
  const [{ count }]: Array<{ count: string }> = await db.query(
    `SELECT count(*) FROM agreement_signatures WHERE agreement_id = $1`,
    [agreementId],
  );
  return Number(count);
}

export async function hasSigned(db: Queryable, agreementId: string, memberId: string): Promise<boolean> {
  return (
    (
      await db.query(`SELECT 1 FROM agreement_signatures WHERE agreement_id = $1 AND member_id = $2`, [
        agreementId,
        memberId,
      ])
    ).length > 0
  );
}

export async function signersOf(
  db: Queryable,
  agreementId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<Array<{ memberId: string; signedAt: Date }>> {
  const rows: Array<{ member_id: string; signed_at: Date }> = await db.query(
    `SELECT member_id, signed_at FROM agreement_signatures WHERE agreement_id = $1 AND ($2::timestamptz IS NULL OR (signed_at, member_id) < ($2, $3::uuid))
     ORDER BY signed_at DESC, member_id DESC LIMIT $4`,
    [agreementId, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map((r) => ({ memberId: r.member_id, signedAt: r.signed_at }));
}
