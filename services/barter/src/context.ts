import type DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { loaderByUuid, type RequestContext } from "@rhizome/kit";
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


export function createLoaders(db: DataSource) {
  return {
    accounts: loaderByUuid<AccountRow>(
      (row) => row.memberId!,
      (memberIds) => db.getRepository(AccountRow).findBy({ memberId: In(memberIds) }),
    ),
    settings: loaderByUuid<CircleSettingsRow>(
      (row) => row.circleId,
      (circleIds) => db.getRepository(CircleSettingsRow).findBy({ circleId: In(circleIds) }),
    ),
  };
}
