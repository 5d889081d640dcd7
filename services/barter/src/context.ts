import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { loaderByUuid, type RequestContext } from "@rhizome/kit";
import { AccountRow } from "./entities/account.js";
import { CircleSettingsRow } from "./entities/circle-settings.js";
import type { BarterConfig } from "./config.js";
import type { BarterMetrics } from "./metrics.js";
import type { CycleFigures } from "./domain/summary.js";
import { recordedFiguresOf } from "./store/cycle-figures.js";

export interface BarterContext extends RequestContext {
  db: DataSource;
  config: BarterConfig;
  /** Member accounts by member id. */
  accounts: DataLoader<string, AccountRow | undefined>;
  settings: DataLoader<string, CircleSettingsRow | undefined>;
  /** Figures recorded when a cycle's expiry completed, by circle id and cycle label (see recordedFiguresKey). */
  recordedFigures: DataLoader<string, CycleFigures | undefined>;
  metrics: BarterMetrics;
  /** The current instant; the one place a request reads the time. */
  clock: () => Date;
}


export function createLoaders(db: DataSource) {
  return {
    recordedFigures: new DataLoader<string, CycleFigures | undefined>((keys) => recordedFiguresOf(db, keys)),
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
