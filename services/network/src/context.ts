import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import type { RequestContext } from "@rhizome/kit";
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

function byId<Row extends { id: string }>(load: (ids: string[]) => Promise<Row[]>) {
  return new DataLoader<string, Row | undefined>(async (ids) => {
    const rows = await load([...ids]);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id));
  });
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID_PATTERN.test(value);

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
    circles: byId((ids) => db.getRepository(CircleRow).findBy({ id: In(ids.filter(isUuid)) })),
    members: byId((ids) => db.getRepository(MemberRow).findBy({ id: In(ids.filter(isUuid)) })),
    blocCounts: blocCountsByCircle(db),
  };
}
