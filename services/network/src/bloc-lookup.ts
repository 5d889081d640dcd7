import { isUuid, MEMBER_BLOC_PATH, requireServiceCredential, type MemberBloc } from "@rhizome/kit";
import type { Express } from "express";
import express from "express";
import type { DataSource } from "typeorm";
import { blocInForce } from "./store/bloc-changes.js";

/**
 * Tells another service (with a service credential, never a member or anyone else) the bloc of one
 * present member of one circle, so a rule that counts blocs (governance's seats and power map) can
 * be applied without network's tables leaving network. Null for a member who left or another circle's.
 * The bloc is the one in force at `at` (now when not given): a member's own change holds from a new moon.
 */
export function mountBlocLookup(app: Express, db: DataSource, tokenSecret: string, clock: () => Date): void {
  app.post(
    MEMBER_BLOC_PATH,
    requireServiceCredential(tokenSecret, "network"),
    express.json({ limit: "1kb" }),
    async (request, response) => {
      const { circleId, memberId, at } = (request.body ?? {}) as {
        circleId?: unknown;
        memberId?: unknown;
        at?: unknown;
      };
      const instant = typeof at === "string" ? new Date(at) : at === undefined ? clock() : undefined;
      if (
        typeof circleId !== "string" ||
        typeof memberId !== "string" ||
        !isUuid(circleId) ||
        !isUuid(memberId) ||
        !instant ||
        Number.isNaN(instant.getTime())
      ) {
        response.status(400).json({ error: "body must be { circleId: uuid, memberId: uuid, at?: ISO 8601 instant }" });
        return;
      }
      const bloc: MemberBloc | undefined = await blocInForce(db, circleId, memberId, instant);
      response.json({ bloc: bloc ?? null });
    },
  );
}
