/**
 * Events between services: the typed catalogue, emitting inside a transaction, the feed and the consumer.
 */
export {
  eventCatalogue,
  isEventTopic,
  producerOf,
  type EventPayload,
  type EventTopic,
  type HubEvent,
} from "./catalogue.js";
export {
  DEFAULT_EVENT_POLL_INTERVAL_MS,
  EVENT_FETCH_TIMEOUT_MS,
  WAKE_COALESCE_MS,
  deliverEvent,
  deliverEvents,
  startEventConsumer,
  topicsByProducer,
  type DeliveryOutcome,
  type EventConsumer,
  type EventConsumerOptions,
  type EventHandler,
  type Subscriptions,
} from "./consumer.js";
export { emitEvent, emitEvents } from "./emit.js";
export {
  EVENT_FEED_PATH,
  EVENT_WAKE_CHANNEL_PREFIX,
  FEED_START,
  MAX_EVENT_FEED_PAGE,
  isFeedPosition,
  mountEventFeed,
  readEventFeed,
  wakeConsumers,
  type FeedEvent,
} from "./feed.js";
