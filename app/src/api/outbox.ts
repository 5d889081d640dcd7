import type { TypedDocumentString } from "../generated/graphql.js";
import { NetworkError, run, type AnyDocument } from "./client.js";
import { readPrivate, writePrivate } from "./private-storage.js";

/**
 * Actions taken without a connection wait here, on the phone, and are sent in order once it
 * returns. Only actions the hub recognises when they arrive twice go in (an exchange carries its
 * idempotency key), so a send whose answer was lost and is sent again records nothing twice.
 */
const OUTBOX_KEY = "outbox";
/** A phone offline for days should not pile up more than this. */
export const MAX_OUTBOX_ENTRIES = 50;

export interface OutboxEntry {
  documentId: string;
  variables: unknown;
  queuedAt: string;
}

export class OutboxFullError extends Error {}

let entries: OutboxEntry[] = readPrivate<OutboxEntry[]>(OUTBOX_KEY) ?? [];
/** Actions the hub refused when they were finally sent (shown to the member, then forgotten). */
let refusedCount = 0;
const listeners = new Set<() => void>();

function changed(): void {
  writePrivate(OUTBOX_KEY, entries);
  listeners.forEach((listener) => listener());
}

export const outboxSize = () => entries.length;
export const refusedFromOutbox = () => refusedCount;

export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function enqueue<Data, Variables>(document: TypedDocumentString<Data, Variables>, variables: Variables): void {
  if (entries.length >= MAX_OUTBOX_ENTRIES)
    throw new OutboxFullError(`At most ${MAX_OUTBOX_ENTRIES} actions wait to be sent.`);
  // eslint-disable-next-line no-restricted-syntax -- codegen's documents carry their persisted id in __meta__, which TypedDocumentString does not declare
  const documentId = (document as unknown as { __meta__: { hash: string } }).__meta__.hash;
  entries = [...entries, { documentId, variables, queuedAt: new Date().toISOString() }];
  changed();
}

/** The flush under way, and how to abandon it. */
let flushing: { done: Promise<void>; abandon: AbortController } | undefined;

/**
 * Sends what waits, oldest first; stops at the first send that cannot reach the hub. One flush at a
 * time: a second call waits on the one under way, unless `restart` (the connection just returned),
 * which abandons it (its send may hang on a connection that is gone) and starts again once it has
 * let go. A send abandoned after the hub received it is sent again, and its idempotency key makes
 * the hub record it once.
 */
export function flushOutbox({ restart = false } = {}): Promise<void> {
  if (flushing && !restart) return flushing.done;
  const previous = flushing;
  previous?.abandon.abort();
  const abandon = new AbortController();
  // Cleared once this flush settles, and only if no later one replaced it.
  const done = (previous?.done ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => sendWaiting(abandon.signal))
    .finally(() => {
      if (flushing?.abandon === abandon) flushing = undefined;
    });
  flushing = { done, abandon };
  return done;
}

/** The connection is gone: a send under way can only fail, so the flush lets go now rather than at its timeout. */
export function abandonFlush(): void {
  flushing?.abandon.abort();
}

async function sendWaiting(signal: AbortSignal): Promise<void> {
  while (entries.length > 0 && !signal.aborted) {
    const [first] = entries;
    try {
      // eslint-disable-next-line no-restricted-syntax -- codegen's documents carry their persisted id in __meta__, which TypedDocumentString does not declare
      await run({ __meta__: { hash: first.documentId } } as unknown as AnyDocument, first.variables, { signal });
    } catch (error) {
      if (error instanceof NetworkError) return;
      refusedCount++;
    }
    entries = entries.filter((entry) => entry !== first);
    changed();
  }
}
