import type { Express } from "express";
import { cycleJobsQueueName } from "./cycles.js";
import { queueName } from "./queues.js";
import { QUEUE_LIST_PATH, type QueueList } from "../runtime/queue-list.js";

/** Every BullMQ queue a service's workers read: one per queue job, and its cycle jobs' queue. */
export function queueNamesOf(definition: {
  name: string;
  jobs?: ReadonlyArray<{ purpose: string }>;
  cycleJobs?: readonly unknown[];
}): string[] {
  const names = (definition.jobs ?? []).map((job) => queueName(definition.name, job.purpose));
  if ((definition.cycleJobs?.length ?? 0) > 0) names.push(cycleJobsQueueName(definition.name));
  return names;
}

export function mountQueueList(app: Express, list: QueueList): void {
  app.get(QUEUE_LIST_PATH, (_request, response) => {
    response.json(list);
  });
}
