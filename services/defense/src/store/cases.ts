import { sqlRow, type Queryable } from "@rhizome/kit";

export const caseKinds = ["ALERT", "HEARING", "DISPUTE", "HOUSING_MATCH"] as const;
export type CaseKind = (typeof caseKinds)[number];

/** Makes members handlers of a case: they may read and write its notes. */
export async function addHandlers(
  db: Queryable,
  circleId: string,
  caseKind: CaseKind,
  caseId: string,
  memberIds: readonly string[],
  now: Date,
): Promise<void> {
  if (memberIds.length === 0) return;
  await db.query(
    `INSERT INTO case_handlers (circle_id, case_kind, case_id, member_id, since) SELECT $1, $2, $3, m, $5 FROM unnest($4::uuid[]) AS m ON CONFLICT DO NOTHING`,
    [circleId, caseKind, caseId, memberIds, now],
  );
}

export async function isHandler(db: Queryable, caseId: string, memberId: string): Promise<boolean> {
  const row = await sqlRow(db, `SELECT 1 FROM case_handlers WHERE case_id = $1 AND member_id = $2`, [caseId, memberId]);
  return row !== undefined;
}

/** The case a note may be written on: its circle, or undefined when no such case exists. */
export async function caseCircle(db: Queryable, caseKind: CaseKind, caseId: string): Promise<string | undefined> {
  const table = { ALERT: "alerts", HEARING: "hearings", DISPUTE: "disputes", HOUSING_MATCH: "housing_matches" }[
    caseKind
  ];
  const row = await sqlRow<{ circleId: string }>(db, `SELECT circle_id FROM ${table} WHERE id = $1`, [caseId]);
  return row?.circleId;
}
