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

export function createLoaders(db: DataSource) {
  return {
    circles: byId((ids) => db.getRepository(CircleRow).findBy({ id: In(ids.filter(isUuid)) })),
    members: byId((ids) => db.getRepository(MemberRow).findBy({ id: In(ids.filter(isUuid)) })),
  };
}
