import type { SessionPartsFragment } from "../generated/graphql.js";
import { readPrivate, writePrivate } from "./private-storage.js";

export type StoredSession = SessionPartsFragment;

const SESSION_KEY = "session";

let session: StoredSession | undefined = readPrivate<StoredSession>(SESSION_KEY);
const listeners = new Set<() => void>();

export const currentSession = (): StoredSession | undefined => session;

export function saveSession(next: StoredSession | undefined): void {
  session = next;
  if (next) writePrivate(SESSION_KEY, next);
  listeners.forEach((listener) => listener());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
