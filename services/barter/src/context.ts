import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import type { RequestContext } from "@rhizome/kit";
import { AccountRow } from "./entities/account.js";
import { CircleSettingsRow } from "./entities/circle-settings.js";
import type { BarterConfig } from "./config.js";

export interface BarterContext extends RequestContext {
  db: DataSource;
  config: BarterConfig;
  /** Member accounts by member id. */
  accounts: DataLoader<string, AccountRow | undefined>;
  settings: DataLoader<string, CircleSettingsRow | undefined>;
  /** The current instant; the one place a request reads the time. */
  clock: () => Date;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID_PATTERN.test(value);

function keyedBy<Row>(key: (row: Row) => string, load: (keys: string[]) => Promise<Row[]>) {
  return new DataLoader<string, Row | undefined>(async (keys) => {
    const rows = await load(keys.filter(isUuid));
    const found = new Map(rows.map((row) => [key(row), row]));
    return keys.map((k) => found.get(k));
  });
}

export function createLoaders(db: DataSource) {
  return {
    accounts: keyedBy<AccountRow>(
      (row) => row.memberId!,
      (memberIds) => db.getRepository(AccountRow).findBy({ memberId: In(memberIds) }),
    ),
    settings: keyedBy<CircleSettingsRow>(
      (row) => row.circleId,
      (circleIds) => db.getRepository(CircleSettingsRow).findBy({ circleId: In(circleIds) }),
    ),
  };
}
