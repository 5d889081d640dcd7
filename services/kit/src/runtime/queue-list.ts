/** Where a service lists its queues for the operators' console; under /internal, so only for a service credential. */
export const QUEUE_LIST_PATH = "/internal/queues";

export interface QueueList {
  service: string;
  queues: string[];
}
