import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { isUuid, loaderByUuid, type RequestContext } from "@rhizome/kit";
import type { Redis } from "ioredis";
import { CircleRow } from "./entities/circle.js";
import { MemberRow } from "./entities/member.js";
import type { NetworkConfig } from "./config.js";

export interface NetworkContext extends RequestContext {
  db: DataSource;
  config: NetworkConfig;
  redis: Redis;
  circles: DataLoader<string, CircleRow | undefined>;
  members: DataLoader<string, MemberRow | undefined>;
  /** Members per bloc, by circle id. */
  blocCounts: DataLoader<string, { edge: number; advantaged: number }>;
  /** Wakes the outbox relay after a commit that recorded events. */
  eventsRecorded(): void;
}


function blocCountsByCircle(db: DataSource) {
  return new DataLoader<string, { edge: number; advantaged: number }>(async (circleIds) => {
    const rows: Array<{ circle_id: string; bloc: string; count: string }> = await db.query(
      `SELECT circle_id, bloc, count(*) AS count FROM members WHERE circle_id = ANY($1::uuid[]) GROUP BY circle_id, bloc`,
      [circleIds.filter(isUuid)],
    );
    const countOf = (circleId: string, bloc: string) => Number(rows.find((r) => r.circle_id === circleId && r.bloc === bloc)?.count ?? 0);
    return circleIds.map((id) => ({ edge: countOf(id, "EDGE"), advantaged: countOf(id, "ADVANTAGED") }));
  });
}

export function createLoaders(db: DataSource) {
  return {
    circles: loaderByUuid<CircleRow>((row) => row.id, (ids) => db.getRepository(CircleRow).findBy({ id: In(ids) })),
    members: loaderByUuid<MemberRow>((row) => row.id, (ids) => db.getRepository(MemberRow).findBy({ id: In(ids) })),
    blocCounts: blocCountsByCircle(db),
  };
}
