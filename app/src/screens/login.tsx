import { useState } from "preact/hooks";
import { run } from "../api/client.js";
import { NOTICE_KEY, type EndNotice } from "../api/end-session.js";
import { saveSession } from "../api/session.js";
import { LoginDocument } from "../generated/graphql.js";
import { t } from "../i18n/i18n.js";
import { ErrorNotice, Success } from "../ui/feedback.js";
import { go, hrefOf } from "../ui/router.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";

/** Read once: the notice that logging out (or leaving) left nothing behind. */
function takeEndNotice(): EndNotice | undefined {
  const notice = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return notice === "logout" || notice === "left" ? notice : undefined;
}

export function Login() {
  // Which of the three was wrong is not said, so nobody learns who is a member.
  const action = useAction({ messages: { UNAUTHENTICATED: () => t("login.failed") } });
  const [ended] = useState(takeEndNotice);

  const submit = action.submit(async (form) => {
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
  });

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
        <ErrorNotice error={action.error} />
        <button type="submit" disabled={action.isBusy}>
          {action.isBusy ? t("status.saving") : t("login.submit")}
        </button>
      </form>
      <p>
        {t("login.noAccount")} <a href={hrefOf("join")}>{t("login.join")}</a>
      </p>
    </Screen>
  );
}
