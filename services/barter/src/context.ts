import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { cycleByLabel, isUuid, loaderByUuid, type ServiceContext } from "@rhizome/kit";
import type { AccountRow } from "./store/accounts.js";
import type { CircleSettingsRow } from "./store/settings.js";
import type { BarterConfig } from "./config.js";
import type { BarterMetrics } from "./metrics.js";
import type { CycleFigures } from "./domain/summary.js";
import { accountsOfMembers, balancesOfMembers, type MemberBalanceRow } from "./store/accounts.js";
import { countCycleFiguresOf, recordedFiguresOf } from "./store/cycle-figures.js";
import { lastExpiryRunsOf, type CompletedExpiryRun } from "./store/expiry-runs.js";
import { settingsOfCircles } from "./store/settings.js";

export const memberBalanceKey = (memberId: string, cycle: string, circleId: string) =>
  `${memberId.toLowerCase()}@${cycle}@${circleId.toLowerCase()}`;

export type BarterLoaders = ReturnType<typeof createLoaders>;

/** What every barter resolver receives: the kit's request context (caller, db, clock ...), the loaders and the metrics. */
export interface BarterContext extends ServiceContext<BarterConfig>, BarterLoaders {
  metrics: BarterMetrics;
  /** The current instant; the one place a request reads the time. */
  clock: () => Date;
}

/**
 * Per-request DataLoaders: whatever a list of circles or members asks for costs one query per
 * kind, not one per circle. Keys that are not UUIDs load as undefined and never reach Postgres.
 */
export function createLoaders(db: DataSource) {
  return {
    /** Member accounts by member id. */
    accounts: loaderByUuid<AccountRow>(
      (row) => row.memberId!,
      (memberIds) => accountsOfMembers(db, memberIds),
    ),
    /**
     * A member's balance in one cycle and the limits of their circle, by memberBalanceKey(member id,
     * cycle label, circle id): one statement for both; undefined for ids that are not UUIDs.
     */
    memberBalances: new DataLoader<string, MemberBalanceRow | undefined>(async (keys) => {
      const wanted = keys.map((key) => {
        const [memberId, cycle, circleId] = key.split("@");
        return { memberId, cycle, circleId };
      });
      const found = new Map(
        (
          await balancesOfMembers(
            db,
            wanted.filter((w) => isUuid(w.memberId) && isUuid(w.circleId)),
          )
        ).map((row) => [memberBalanceKey(row.memberId, row.cycle, row.circleId), row]),
      );
      return keys.map((key) => found.get(key));
    }),
    settings: loaderByUuid<CircleSettingsRow>(
      (row) => row.circleId,
      (circleIds) => settingsOfCircles(db, circleIds),
    ),
    /** Figures recorded when a cycle's expiry completed, by recordedFiguresKey(circle id, cycle label). */
    recordedFigures: new DataLoader<string, CycleFigures | undefined>((keys) => recordedFiguresOf(db, keys)),
    /** Figures counted from the ledger and listings, for cycles still open or not yet expired; same keys. */
    liveFigures: new DataLoader<string, CycleFigures>((keys) =>
      countCycleFiguresOf(
        db,
        keys.map((key) => {
          const [circleId, label] = key.split("@");
          const cycle = cycleByLabel(label);
          if (!cycle) throw new Error(`"${label}" in figures key ${key} is not a cycle label.`);
          return { circleId, cycle };
        }),
      ),
    ),
    /** Each circle's last completed expiry, by circle id. */
    lastExpiryRuns: loaderByUuid<CompletedExpiryRun>(
      (run) => run.circleId,
      (circleIds) => lastExpiryRunsOf(db, circleIds),
    ),
  };
}
