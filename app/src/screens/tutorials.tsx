import { useState } from "preact/hooks";
import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import { PublishTutorialDocument, TutorialsDocument } from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

/** Repair tutorials of every circle in a category: read them, and publish one. */
export function RepairTutorials({ session, categories }: { session: StoredSession; categories: string[] }) {
  const [category, setCategory] = useState("");
  const tutorials = useQuery(TutorialsDocument, category ? { category } : undefined);
  const items = category ? (tutorials.data?.tutorials.items ?? []) : [];
  return (
    <section aria-labelledby="tutorials-title">
      <h2 id="tutorials-title">{t("tutorials.title")}</h2>
      <form
        role="search"
        class="inline"
        aria-label={t("tutorials.title")}
        onSubmit={(event) => {
          event.preventDefault();
          setCategory(String(new FormData(event.currentTarget as HTMLFormElement).get("category")).trim());
        }}
      >
        <label>
          {t("tutorials.category")}
          <input name="category" required maxLength={40} list="tool-categories" />
        </label>
        <datalist id="tool-categories">
          {categories.map((name) => (
            <option value={name} />
          ))}
        </datalist>
        <button type="submit">{t("tutorials.find")}</button>
      </form>
      {category && (
        <>
          <Offline isStale={tutorials.isStale} />
          <ErrorNotice error={tutorials.isStale ? undefined : tutorials.error} />
          <Loading isLoading={tutorials.isLoading && !tutorials.data} />
          <ul class="cards" data-testid="tutorials">
            {items.map((tutorial) => (
              <li data-tutorial={tutorial.id}>
                <details>
                  <summary>
                    <strong>{tutorial.title}</strong>
                    <span class="muted"> · {formatDateTime(tutorial.publishedAt)}</span>
                  </summary>
                  {/* Safe HTML from the hub: markdown rendered without raw HTML, then sanitised to a short list of tags. */}
                  <div class="tutorial" dangerouslySetInnerHTML={{ __html: tutorial.html }} />
                  {tutorial.steps.length > 0 && (
                    <ol class="steps">
                      {tutorial.steps.map((step) => (
                        <li dangerouslySetInnerHTML={{ __html: step.html }} />
                      ))}
                    </ol>
                  )}
                </details>
              </li>
            ))}
            {tutorials.data && items.length === 0 && <li class="muted">{t("tutorials.none", { category })}</li>}
          </ul>
        </>
      )}
      <PublishTutorial
        session={session}
        onPublished={async (published) => {
          // Another category is read when the screen shows it; the same one is read again.
          if (published === category) await tutorials.reload();
          else setCategory(published);
        }}
      />
    </section>
  );
}

function PublishTutorial({
  session,
  onPublished,
}: {
  session: StoredSession;
  onPublished: (category: string) => Promise<void>;
}) {
  const action = useAction();
  const submit = action.submit(async (form, formElement) => {
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const { publishTutorial } = await run(PublishTutorialDocument, {
      input: {
        circleId: session.member.circle.id,
        title: text("title"),
        categories: text("categories")
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean),
        markdown: text("markdown"),
        steps: text("steps")
          .split("\n")
          .map((step) => step.trim())
          .filter(Boolean),
      },
    });
    formElement.reset();
    await onPublished(publishTutorial.categories[0]);
    return () => t("tutorials.published", { title: publishTutorial.title });
  });
  return (
    <form class="stack card" onSubmit={submit} id="tutorial-form" aria-labelledby="tutorial-form-title">
      <h3 id="tutorial-form-title">{t("tutorials.publishTitle")}</h3>
      <label>
        {t("tutorials.titleField")}
        <input name="title" required maxLength={120} />
      </label>
      <label>
        {t("tutorials.categories")}
        <input name="categories" required maxLength={200} />
      </label>
      <label>
        {t("tutorials.text")}
        <textarea name="markdown" maxLength={20000} rows={4} />
      </label>
      <p class="hint">{t("tutorials.textHint")}</p>
      <label>
        {t("tutorials.steps")}
        <textarea name="steps" maxLength={30000} rows={4} />
      </label>
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("tutorials.publish")}
      </button>
    </form>
  );
}
