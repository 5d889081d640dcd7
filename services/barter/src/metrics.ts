import { Counter, Histogram, type MetricsRegistry } from "@rhizome/kit";
import type { ExpiryOutcome } from "./store/expiry.js";

/** What operators watch of the barter circle: credits moving, and each new moon's expiry. */
export interface BarterMetrics {
  exchangesConfirmed: Counter;
  minutesConfirmed: Counter;
  expiryRuns: Counter;
  accountsExpired: Counter;
  expirySeconds: Histogram;
}

export function createBarterMetrics(registry: MetricsRegistry): BarterMetrics {
  const registers = [registry];
  return {
    exchangesConfirmed: new Counter({
      name: "rhizome_barter_exchanges_confirmed_total",
      help: "Exchanges confirmed, so credits moved",
      registers,
    }),
    minutesConfirmed: new Counter({
      name: "rhizome_barter_minutes_confirmed_total",
      help: "Minutes moved by confirmed exchanges",
      registers,
    }),
    expiryRuns: new Counter({ name: "rhizome_barter_expiry_runs_total", help: "Circle cycles expired", registers }),
    accountsExpired: new Counter({
      name: "rhizome_barter_accounts_expired_total",
      help: "Member balances returned to zero by expiry",
      registers,
    }),
    expirySeconds: new Histogram({
      name: "rhizome_barter_expiry_job_seconds",
      help: "Duration of one circle's expire job",
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    }),
  };
}

export function recordExpiries(metrics: BarterMetrics | undefined, outcomes: readonly ExpiryOutcome[]): void {
  for (const outcome of outcomes) {
    if (outcome.wasAlreadyComplete) continue;
    metrics?.expiryRuns.inc();
    metrics?.accountsExpired.inc(outcome.accountsExpired);
  }
}

const metricsByRegistry = new WeakMap<MetricsRegistry, BarterMetrics>();

/** The barter metrics of a service process, created once per registry and shared by its resolvers and jobs. */
export function barterMetrics(registry: MetricsRegistry): BarterMetrics {
  let metrics = metricsByRegistry.get(registry);
  if (!metrics) {
    metrics = createBarterMetrics(registry);
    metricsByRegistry.set(registry, metrics);
  }
  return metrics;
}
