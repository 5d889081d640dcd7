import { useState } from "preact/hooks";
import { ApiError, run } from "../api/client.js";
import { NOTICE_KEY, type EndNotice } from "../api/end-session.js";
import { saveSession } from "../api/session.js";
import { LoginDocument } from "../generated/graphql.js";
import { t } from "../i18n/i18n.js";
import { ErrorNotice, Success, type Said } from "../ui/feedback.js";
import { go, hrefOf } from "../ui/router.js";
import { Screen } from "../ui/screen.js";

/** Read once: the notice that logging out (or leaving) left nothing behind. */
function takeEndNotice(): EndNotice | undefined {
  const notice = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return notice === "logout" || notice === "left" ? notice : undefined;
}

export function Login() {
  const [error, setError] = useState<unknown>();
  const [isSending, setSending] = useState(false);
  const [ended] = useState(takeEndNotice);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setSending(true);
    try {
      const { login } = await run(
        LoginDocument,
        {
          input: {
            circleSlug: String(form.get("circleSlug")).trim().toLowerCase(),
            handle: String(form.get("handle")).trim(),
            passphrase: String(form.get("passphrase")),
          },
        },
        { anonymous: true },
      );
      saveSession(login);
      go("home");
    } catch (failure) {
      // Which of the three was wrong is not said, so nobody learns who is a member.
      const wrongLogin: Said = () => t("login.failed");
      // A function given to a state setter is called as an updater: wrap the message once more.
      setError(() => (failure instanceof ApiError && failure.code === "UNAUTHENTICATED" ? wrongLogin : failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <Screen title={t("login.title")} name="login">
      <Success said={ended ? () => t(ended === "left" ? "leave.done" : "logout.done") : undefined} />
      <p>{t("login.intro")}</p>
      <form onSubmit={submit} class="stack" id="login-form">
        <label>
          {t("login.circle")}
          <input
            name="circleSlug"
            autoComplete="organization"
            autoCapitalize="none"
            required
            aria-describedby="circle-hint"
          />
        </label>
        <p class="hint" id="circle-hint">
          {t("login.circleHint")}
        </p>
        <label>
          {t("login.handle")}
          <input name="handle" autoComplete="username" autoCapitalize="none" required />
        </label>
        <label>
          {t("login.passphrase")}
          <input name="passphrase" type="password" autoComplete="current-password" required />
        </label>
        <ErrorNotice error={error} />
        <button type="submit" disabled={isSending}>
          {isSending ? t("status.saving") : t("login.submit")}
        </button>
      </form>
      <p>
        {t("login.noAccount")} <a href={hrefOf("join")}>{t("login.join")}</a>
      </p>
    </Screen>
  );
}
