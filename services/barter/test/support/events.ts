import type { DataSource } from "typeorm";
import { FEED_START, MAX_EVENT_FEED_PAGE, readEventFeed, type EventPayload, type EventTopic } from "@rhizome/kit";
import { eventually } from "@rhizome/kit/testing";

/**
 * Waits until every transaction that had written anything when it was called has ended. The feed
 * returns only rows of transactions older than every transaction still running (anywhere in the
 * cluster: the hub's other services write too), so until then an event this test has committed can
 * be hidden behind, say, another service's long transaction that began before it.
 */
async function feedSettled(db: DataSource): Promise<void> {
  const [{ horizon }]: Array<{ horizon: string }> = await db.query(
    `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS horizon`,
  );
  await eventually(async () => {
    const [{ settled }]: Array<{ settled: boolean }> = await db.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS settled`,
      [horizon],
    );
    return settled || undefined;
  }, "the transactions running before reading the event log to end");
}

/** Every event of one topic about one circle, as a consumer reading barter's log from the start receives them (once what was committed before the call is readable). */
export async function eventsAbout<Topic extends EventTopic>(
  db: DataSource,
  topic: Topic,
  circleId: string,
): Promise<Array<EventPayload<Topic>>> {
  await feedSettled(db);
  const found: Array<EventPayload<Topic>> = [];
  let after = FEED_START;
  for (;;) {
    const page = await readEventFeed(db, after, [topic], MAX_EVENT_FEED_PAGE);
    for (const event of page) if (event.circleId === circleId) found.push(event.payload as EventPayload<Topic>);
    if (page.length < MAX_EVENT_FEED_PAGE) return found;
    after = page[page.length - 1].position;
  }
}
