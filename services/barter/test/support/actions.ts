import type { DataSource } from "typeorm";
import type { Membership } from "@rhizome/kit";
import { publishListing as publishAction } from "../../src/actions/publish-listing.js";
import type { BarterContext } from "../../src/context.js";
import type { ListingRow, NewListing } from "../../src/store/listings.js";

/**
 * The context an action reads when a test calls it directly: the caller with these memberships,
 * the test database and the test's clock. Nothing else of a request (Redis, loaders, metrics) is
 * reached by the actions tests call this way.
 */
export function actionContext(db: DataSource, memberships: readonly Membership[], clock: () => Date): BarterContext {
  const context: Pick<BarterContext, "db" | "caller" | "clock" | "eventsEmitted"> = {
    db,
    caller: { kind: "person", personId: "00000000-0000-4000-8000-000000000000", memberships: [...memberships] },
    clock,
    eventsEmitted: () => undefined,
  };
  return context as BarterContext;
}

/** Publishes a listing as its member at `at`, through the service's own action. */
export function publishListing(db: DataSource, listing: NewListing, at: Date): Promise<ListingRow> {
  const member = { circleId: listing.circleId, memberId: listing.memberId, roles: [] };
  return publishAction(
    actionContext(db, [member], () => at),
    {
      circleId: listing.circleId,
      kind: listing.kind,
      skills: listing.skills,
      description: listing.description,
      visibleToSisters: listing.isVisibleToSisters,
    },
  );
}
