import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import { ConstitutionDocument, MyBodiesDocument, ProposeAmendmentDocument } from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

const DAY_MS = 86_400_000;
const DEFAULT_VOTING_DAYS = 7;
/** A month is long enough for a phone form; the hub itself accepts up to a year. */
const MAX_VOTING_DAYS = 30;
const MAX_TITLE_CHARS = 200;
const MAX_TEXT_CHARS = 10_000;

function ProposeAmendment({
  circleId,
  articles,
  onProposed,
}: {
  circleId: string;
  articles: Array<{ id: string; number: number; title: string }>;
  onProposed: () => Promise<void>;
}) {
  const bodies = useQuery(MyBodiesDocument, { circleId });
  const seated = (bodies.data?.bodies.items ?? []).filter((body) => body.mySeat);
  const action = useAction({ onDone: onProposed });
  const submit = action.submit(async (form, element) => {
    const title = String(form.get("title")).trim();
    const text = String(form.get("text")).trim();
    const article = String(form.get("article"));
    const closesAt = new Date(Date.now() + Number(form.get("days")) * DAY_MS).toISOString();
    const proposal = (
      await run(ProposeAmendmentDocument, {
        input: {
          bodyId: String(form.get("body")),
          title,
          text,
          closesAt,
          amendment: { articleId: article || null, title, text },
        },
      })
    ).createProposal;
    element.reset();
    return () => t("constitution.proposed", { when: formatDateTime(proposal.closesAt) });
  });
  return (
    <section aria-labelledby="amend-title">
      <h2 id="amend-title">{t("constitution.propose")}</h2>
      <Loading isLoading={bodies.isLoading && !bodies.data} />
      {bodies.data && seated.length === 0 ? (
        <p class="muted">{t("constitution.noSeat")}</p>
      ) : (
        <form class="stack" onSubmit={submit} data-testid="amend">
          <label>
            {t("constitution.body")}
            <select name="body" required>
              {seated.map((body) => (
                <option value={body.id}>{body.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t("constitution.which")}
            <select name="article">
              <option value="">{t("constitution.newArticle")}</option>
              {articles.map((article) => (
                <option value={article.id}>
                  {t("constitution.article", { number: article.number, title: article.title })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("constitution.amendTitle")}
            <input name="title" required maxLength={MAX_TITLE_CHARS} />
          </label>
          <label>
            {t("constitution.amendText")}
            <textarea name="text" rows={5} required maxLength={MAX_TEXT_CHARS} />
          </label>
          <label>
            {t("constitution.days")}
            <input
              name="days"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_VOTING_DAYS}
              defaultValue={String(DEFAULT_VOTING_DAYS)}
              required
            />
          </label>
          <ErrorNotice error={action.error} />
          <Success said={action.done} />
          <button type="submit" disabled={action.isBusy}>
            {t("constitution.submit")}
          </button>
        </form>
      )}
    </section>
  );
}

export function Constitution({ session }: { session: StoredSession }) {
  const constitution = useQuery(ConstitutionDocument, { circleId: session.member.circle.id });
  const data = constitution.data?.constitution;
  const articles = [...(data?.articles ?? [])].sort((a, b) => a.number - b.number);
  const current = articles.map((article) => {
    const version = article.versions.find((each) => each.version === article.currentVersion) ?? article.versions[0];
    return { ...article, title: version?.title ?? "", text: version?.text ?? "" };
  });
  return (
    <Screen title={t("constitution.title")} name="constitution">
      <p>{t("constitution.intro")}</p>
      <Offline isStale={constitution.isStale} />
      <ErrorNotice error={constitution.isStale ? undefined : constitution.error} />
      <Loading isLoading={constitution.isLoading && !constitution.data} />
      {data?.isEdgeOnly && (
        <p class="notice">
          {data.edgeOnlyUntil
            ? t("constitution.edgeOnly", { when: formatDateTime(data.edgeOnlyUntil) })
            : t("constitution.edgeOnlyNow")}
        </p>
      )}
      {data && articles.length === 0 && <p class="muted">{t("constitution.none")}</p>}
      <ul class="cards" data-testid="articles">
        {current.map((article) => (
          <li data-testid="article" aria-labelledby={`article-${article.id}`}>
            <h2 id={`article-${article.id}`}>
              {t("constitution.article", { number: article.number, title: article.title })}
            </h2>
            <p>{article.text}</p>
            {article.versions.length > 1 && (
              <details>
                <summary>{t("constitution.history", { count: article.versions.length })}</summary>
                <ol>
                  {[...article.versions]
                    .sort((a, b) => b.version - a.version)
                    .map((version) => (
                      <li>
                        <p class="muted">
                          {t("constitution.version", {
                            version: version.version,
                            when: formatDateTime(version.adoptedAt),
                          })}
                        </p>
                        <p>
                          <strong>{version.title}</strong>
                        </p>
                        <p>{version.text}</p>
                      </li>
                    ))}
                </ol>
              </details>
            )}
          </li>
        ))}
      </ul>
      <ProposeAmendment circleId={session.member.circle.id} articles={current} onProposed={constitution.reload} />
    </Screen>
  );
}
