import { run } from "../api/client.js";
import { saveSession } from "../api/session.js";
import { JoinCircleDocument, type Bloc } from "../generated/graphql.js";
import { t } from "../i18n/i18n.js";
import { ErrorNotice } from "../ui/feedback.js";
import { go, hrefOf } from "../ui/router.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";

export function Join() {
  const action = useAction();

  const submit = action.submit(async (form) => {
    const { joinCircle } = await run(
      JoinCircleDocument,
      {
        input: {
          code: String(form.get("code")).trim(),
          handle: String(form.get("handle")).trim(),
          passphrase: String(form.get("passphrase")),
          bloc: String(form.get("bloc")) as Bloc,
        },
      },
      { anonymous: true },
    );
    saveSession(joinCircle);
    go("home");
  });

  return (
    <Screen title={t("join.title")} name="join">
      <p>{t("join.intro")}</p>
      <form onSubmit={submit} class="stack" id="join-form">
        <label>
          {t("join.code")}
          <input name="code" autoCapitalize="none" autoComplete="off" required />
        </label>
        <label>
          {t("join.handle")}
          <input name="handle" autoCapitalize="none" autoComplete="username" required aria-describedby="handle-hint" />
        </label>
        <p class="hint" id="handle-hint">
          {t("join.handleHint")}
        </p>
        <label>
          {t("join.passphrase")}
          <input
            name="passphrase"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            aria-describedby="passphrase-hint"
          />
        </label>
        <p class="hint" id="passphrase-hint">
          {t("join.passphraseHint")}
        </p>
        <fieldset aria-describedby="bloc-why">
          <legend>{t("join.bloc")}</legend>
          <p class="hint" id="bloc-why">
            {t("join.blocWhy")}
          </p>
          <label class="choice">
            <input type="radio" name="bloc" value="EDGE" required />
            {t("join.blocEdge")}
          </label>
          <label class="choice">
            <input type="radio" name="bloc" value="ADVANTAGED" />
            {t("join.blocAdvantaged")}
          </label>
        </fieldset>
        <ErrorNotice error={action.error} />
        <button type="submit" disabled={action.isBusy}>
          {action.isBusy ? t("status.saving") : t("join.submit")}
        </button>
      </form>
      <p>
        {t("join.haveAccount")} <a href={hrefOf("login")}>{t("join.login")}</a>
      </p>
    </Screen>
  );
}
