import type { Logger, ServiceRuntime } from "@rhizome/kit";
import { MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE } from "../domain/alerts.js";

/**
 * A circle's webhook deliveries in flight, counted in Redis for every process that sends them (API
 * and worker processes, however many): a slot is taken and given back atomically by a script, so
 * the cap holds across processes. A slot is held under a lease, so a process that dies mid-attempt
 * frees it when the lease runs out. A delivery that finds no slot waits in the circle's queue of
 * waiting deliveries; whoever gives a slot back hands the oldest waiting one to the job queue, and
 * the sweep hands back anything still due, so a delivery over the cap is delayed, never dropped.
 */

const slotsKey = (circleId: string) => `defense:webhook-slots:${circleId}`;
const waitingKey = (circleId: string) => `defense:webhook-waiting:${circleId}`;

/** KEYS: slots, waiting. ARGV: token, cap, lease (ms), waiting entry. 1 when the slot is taken. */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  if redis.call('ZSCORE', KEYS[2], ARGV[4]) == false then redis.call('ZADD', KEYS[2], now, ARGV[4]) end
  redis.call('PEXPIRE', KEYS[2], 24 * 3600 * 1000)
  return 0
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], 2 * lease)
return 1
`;

/** KEYS: slots, waiting. ARGV: token. Returns the oldest waiting entry, if any, taken off the list. */
const GIVE_BACK = `
redis.call('ZREM', KEYS[1], ARGV[1])
local next = redis.call('ZRANGE', KEYS[2], 0, 0)
if next[1] then
  redis.call('ZREM', KEYS[2], next[1])
  return next[1]
end
return false
`;

export interface WaitingDelivery {
  deliveryId: string;
  attempt: number;
}

/** The in-process count, used only while Redis cannot run the script (then each process caps alone). */
const localInFlight = new Map<string, number>();

export interface DeliverySlots {
  /** Takes one of the circle's slots for this attempt; false when the circle is at its cap (the delivery then waits). */
  take(circleId: string, delivery: WaitingDelivery, leaseMs: number): Promise<boolean>;
  /** Gives the slot back; returns the circle's oldest waiting delivery to hand to the queue, if any. */
  giveBack(circleId: string, delivery: WaitingDelivery): Promise<WaitingDelivery | undefined>;
}

const tokenOf = (delivery: WaitingDelivery) => `${delivery.deliveryId}:${delivery.attempt}`;

export function deliverySlots(
  redis: ServiceRuntime["redis"],
  logger: Logger,
  cap = MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE,
): DeliverySlots {
  const heldLocally = new Set<string>();
  return {
    async take(circleId, delivery, leaseMs) {
      const token = tokenOf(delivery);
      try {
        const taken = await redis.eval(TAKE, 2, slotsKey(circleId), waitingKey(circleId), token, cap, leaseMs, token);
        return taken === 1;
      } catch (error) {
        logger.warn({ err: error }, "could not count webhook deliveries in Redis; capping this process alone");
        const inFlight = localInFlight.get(circleId) ?? 0;
        if (inFlight >= cap) return false;
        localInFlight.set(circleId, inFlight + 1);
        heldLocally.add(`${circleId}:${token}`);
        return true;
      }
    },
    async giveBack(circleId, delivery) {
      const token = tokenOf(delivery);
      if (heldLocally.delete(`${circleId}:${token}`)) {
        const left = (localInFlight.get(circleId) ?? 1) - 1;
        if (left > 0) localInFlight.set(circleId, left);
        else localInFlight.delete(circleId);
      }
      try {
        const next = (await redis.eval(GIVE_BACK, 2, slotsKey(circleId), waitingKey(circleId), token)) as string | null;
        if (!next) return undefined;
        const [deliveryId, attempt] = next.split(":");
        return { deliveryId, attempt: Number(attempt) };
      } catch (error) {
        logger.warn({ err: error }, "could not give a webhook delivery slot back in Redis; its lease frees it");
        return undefined;
      }
    },
  };
}
