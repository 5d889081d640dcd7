import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { cycleByLabel, isUuid, loaderByUuid, type ServiceContext } from "@rhizome/kit";
import type { AccountRow } from "./store/accounts.js";
import type { CircleSettingsRow } from "./store/settings.js";
import type { BarterConfig } from "./config.js";
import type { BarterMetrics } from "./metrics.js";
import type { CycleFigures } from "./domain/summary.js";
import { accountsOfMembers, cycleBalancesOfMembers } from "./store/accounts.js";
import { countCycleFiguresOf, recordedFiguresOf } from "./store/cycle-figures.js";
import { lastExpiryRunsOf, type CompletedExpiryRun } from "./store/expiry-runs.js";
import { settingsOfCircles } from "./store/settings.js";

export const cycleBalanceKey = (memberId: string, cycle: string) => `${memberId}@${cycle}`;

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
    /** A member's balance in one cycle, by cycleBalanceKey(member id, cycle label); zero when they moved nothing in it. */
    cycleBalances: new DataLoader<string, number>(async (keys) => {
      const wanted = keys.map((key) => {
        const [memberId, cycle] = key.split("@");
        return { memberId, cycle };
      });
      const found = new Map(
        (
          await cycleBalancesOfMembers(
            db,
            wanted.filter((w) => isUuid(w.memberId)),
          )
        ).map((row) => [cycleBalanceKey(row.memberId, row.cycle), row.balanceMinutes]),
      );
      return keys.map((key) => found.get(key) ?? 0);
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
