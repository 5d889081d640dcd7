import { isUuid, MEMBER_BLOC_PATH, requireServiceCredential, type MemberBloc } from "@rhizome/kit";
import type { Express } from "express";
import express from "express";
import type { DataSource } from "typeorm";

/**
 * Tells another service (with a service credential, never a member or anyone else) the bloc of one
 * present member of one circle, so a rule that counts blocs (governance's seats and power map) can
 * be applied without network's tables leaving network. Null for a member who left or another circle's.
 */
export function mountBlocLookup(app: Express, db: DataSource, tokenSecret: string): void {
  app.post(MEMBER_BLOC_PATH, requireServiceCredential(tokenSecret, "network"), express.json({ limit: "1kb" }), async (request, response) => {
    const { circleId, memberId } = (request.body ?? {}) as { circleId?: unknown; memberId?: unknown };
    if (typeof circleId !== "string" || typeof memberId !== "string" || !isUuid(circleId) || !isUuid(memberId)) {
      response.status(400).json({ error: "body must be { circleId: uuid, memberId: uuid }" });
      return;
    }
    const rows: Array<{ bloc: MemberBloc | null }> = await db.query(`SELECT bloc FROM members WHERE id = $1 AND circle_id = $2 AND left_at IS NULL`, [memberId, circleId]);
    response.json({ bloc: rows[0]?.bloc ?? null });
  });
}
