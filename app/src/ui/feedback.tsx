import { ApiError, NetworkError } from "../api/client.js";
import { t } from "../i18n/i18n.js";

/** What to tell the member; a string is already their language's message. */
export function errorText(error: unknown): string {
  if (typeof error === "string") return error;
  if (error instanceof NetworkError) return t("error.network");
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") return t("error.sessionEnded");
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
export function Success({ text }: { text: string | undefined }) {
  return (
    <p class="notice notice-success" role="status" aria-live="polite" hidden={!text}>
      {text ?? ""}
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
