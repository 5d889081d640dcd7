import { remoteMemberBlocLookup, type ServiceRuntime, type Subscriptions } from "@rhizome/kit";
import type { GovernanceConfig } from "../config.js";
import { recordCircleFounded, vacateEverythingOf } from "../store/circles.js";
import { onBlocChangeScheduled } from "./bloc-changes.js";
import { ensureSweepSchedule } from "./deadlines.js";

/**
 * What governance learns from network: when a circle was founded (its constitution's first six
 * months), who left (their seats and roles are vacated), and who changed their bloc (applied at the new moon).
 */
export function governanceSubscriptions(runtime: ServiceRuntime<GovernanceConfig>): Subscriptions {
  // Subscriptions are read once, when a worker starts: the moment to make sure the deadline sweep is scheduled.
  void ensureSweepSchedule(runtime).catch((error) =>
    runtime.logger.warn({ err: error }, "could not schedule the deadline sweep; will retry on the next start"),
  );
  return {
    "circle.founded": (manager, event) => recordCircleFounded(manager, event.circleId, event.occurredAt),
    "member.left": (manager, event) =>
      vacateEverythingOf(manager, event.circleId, event.payload.memberId, event.occurredAt),
    "member.bloc-change-scheduled": onBlocChangeScheduled(
      remoteMemberBlocLookup({
        networkUrl: runtime.config.NETWORK_URL,
        tokenSecret: runtime.config.TOKEN_SECRET,
        service: runtime.name,
      }),
    ),
  };
}
