import { useEffect } from "preact/hooks";
import type { AnyDocument } from "../api/client.js";
import { t } from "../i18n/i18n.js";

/** The neutral page a quick exit shows (public/soup.html): a recipe, served by the hub, kept offline by the service worker. */
export const NEUTRAL_PAGE = "/app/soup.html";
/** Two presses of Escape this close together leave at once. */
const DOUBLE_ESCAPE_MS = 1_500;
const PRIVATE_PREFIX = "rhizome:";

const idOf = (document: AnyDocument) => (document as unknown as { __meta__: { hash: string } }).__meta__.hash;

/**
 * Leaves at once for a neutral page: the answers the given screens kept on the phone, and any of
 * their own keys, are removed first, and the page is replaced (location.replace), so Back does not
 * return to it. The session stays: nothing else the member had open is lost.
 */
export function quickExit(documents: readonly AnyDocument[], ownKeys: readonly string[] = []): void {
  const prefixes = [
    ...documents.map((document) => `${PRIVATE_PREFIX}answer:${idOf(document)}:`),
    ...ownKeys.map((key) => PRIVATE_PREFIX + key),
  ];
  for (const storage of [localStorage, sessionStorage])
    for (const key of Object.keys(storage))
      if (prefixes.some((prefix) => key.startsWith(prefix))) storage.removeItem(key);
  document.title = "";
  document.body.replaceChildren();
  location.replace(NEUTRAL_PAGE);
}

/**
 * A clearly labelled quick exit, always at the top of the screen, and the Escape key pressed
 * twice: whoever looks over the member's shoulder sees a recipe.
 */
export function QuickExit({ documents, ownKeys }: { documents: readonly AnyDocument[]; ownKeys?: readonly string[] }) {
  useEffect(() => {
    let lastEscapeMs = -Infinity;
    const pressed = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      const nowMs = event.timeStamp;
      if (nowMs - lastEscapeMs <= DOUBLE_ESCAPE_MS) quickExit(documents, ownKeys);
      lastEscapeMs = nowMs;
    };
    addEventListener("keydown", pressed);
    return () => removeEventListener("keydown", pressed);
  }, []);
  return (
    <div class="quick-exit">
      <button type="button" class="quick-exit-button" onClick={() => quickExit(documents, ownKeys)}>
        {t("quickExit.button")}
      </button>
      <p class="hint">{t("quickExit.hint")}</p>
    </div>
  );
}
