/**
 * Everything private the app keeps on the phone (the session and the answers it has seen) lives
 * under one prefix, so logging out can remove all of it at once: on a shared phone, the next
 * person finds nothing of the last one.
 */
const PRIVATE_PREFIX = "rhizome:";
/** An answer larger than this is not kept (localStorage holds about 5 MB in all). */
const MAX_CACHED_ANSWER_CHARS = 200_000;

export function readPrivate<T>(key: string): T | undefined {
  const raw = localStorage.getItem(PRIVATE_PREFIX + key);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

export function writePrivate(key: string, value: unknown): void {
  const raw = JSON.stringify(value);
  if (raw.length > MAX_CACHED_ANSWER_CHARS) return;
  try {
    localStorage.setItem(PRIVATE_PREFIX + key, raw);
  } catch {
    // Storage full or refused: the app works without its copy.
  }
}

/** The service worker's cache of the app's own files (public/sw.js): the same for everyone, nothing private. */
const SHELL_CACHE = "rhizome-app-shell";

/** Counts clearings, so an answer that arrives after a logout is not written back (see `query`). */
let clearings = 0;
export const privateDataClearings = () => clearings;

/** Removes every private datum: the session, every cached answer, and anything in Cache Storage but the app's own files. */
export async function clearPrivateData(): Promise<void> {
  clearings++;
  for (const storage of [localStorage, sessionStorage]) {
    for (const key of Object.keys(storage)) if (key.startsWith(PRIVATE_PREFIX)) storage.removeItem(key);
  }
  if ("caches" in globalThis)
    for (const name of await caches.keys()) if (name !== SHELL_CACHE) await caches.delete(name);
}
