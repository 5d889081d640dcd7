import type { DataSource } from "typeorm";
import { FEED_START, MAX_EVENT_FEED_PAGE, readEventFeed, type EventPayload, type EventTopic } from "@rhizome/kit";

/** Every event of one topic about one circle, as a consumer reading barter's log from the start receives them. */
export async function eventsAbout<Topic extends EventTopic>(db: DataSource, topic: Topic, circleId: string): Promise<Array<EventPayload<Topic>>> {
  const found: Array<EventPayload<Topic>> = [];
  let after = FEED_START;
  for (;;) {
    const page = await readEventFeed(db, after, [topic], MAX_EVENT_FEED_PAGE);
    for (const event of page) if (event.circleId === circleId) found.push(event.payload as EventPayload<Topic>);
    if (page.length < MAX_EVENT_FEED_PAGE) return found;
    after = page[page.length - 1].position;
  }
}
