import { useState } from "preact/hooks";
import { ApiError, NetworkError } from "../api/client.js";
import { t } from "../i18n/i18n.js";

/**
 * A message to show, written when shown: switching language rewrites it, numbers included.
 * Keep `() => t(...)`, never the text itself.
 */
export type Said = () => string;

/** A message's state: `say(() => t("key", values))`, `say(undefined)` to clear it. */
export function useSaid(): [Said | undefined, (said: Said | undefined) => void] {
  const [said, setSaid] = useState<Said | undefined>(undefined);
  return [said, (next) => setSaid(() => next)];
}

/** What to tell the member about an error. */
export function errorText(error: unknown): string {
  if (typeof error === "function") return (error as Said)();
  if (error instanceof NetworkError) return t("error.network");
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") return t("error.sessionEnded");
  // Whatever the request, these say the same: in the member's language. Others carry the hub's own explanation.
  if (error instanceof ApiError && error.code === "RATE_LIMITED") return t("error.rateLimited");
  if (error instanceof ApiError && error.code === "SERVICE_UNAVAILABLE") return t("error.unavailable");
  if (error instanceof ApiError && error.code === "INTERNAL_SERVER_ERROR") return t("error.internal");
  return t("error.generic", { message: error instanceof Error ? error.message : String(error) });
}

/** An error the member must notice: announced by screen readers at once. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="notice notice-error" role="alert">
      {errorText(error)}
    </p>
  );
}

/** Good news, announced politely. */
export function Success({ said }: { said: Said | undefined }) {
  return (
    <p class="notice notice-success" role="status" aria-live="polite" hidden={!said}>
      {said?.() ?? ""}
    </p>
  );
}

export function Loading({ isLoading }: { isLoading: boolean }) {
  return isLoading ? (
    <p class="muted" role="status">
      {t("status.loading")}
    </p>
  ) : null;
}

export function Offline({ isStale }: { isStale: boolean }) {
  return isStale ? (
    <p class="notice" role="status">
      {t("status.offline")}
    </p>
  ) : null;
}
