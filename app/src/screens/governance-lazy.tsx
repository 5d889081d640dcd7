import { useEffect, useState } from "preact/hooks";
import { NetworkError } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import { t } from "../i18n/i18n.js";
import { ErrorNotice, Loading } from "../ui/feedback.js";

type More = typeof import("./governance-more.js");
type ScreenName = keyof More;

let loading: Promise<More> | undefined;
/** One request for every governance screen beyond proposals, kept by the service worker once fetched. */
const loadMore = () => (loading ??= import("./governance-more.js"));

/**
 * A governance screen fetched when first opened, so none of them weighs on the home screen's
 * start-up; once seen, the service worker keeps its file and it opens offline.
 */
export function LazyGovernanceScreen({ name, session }: { name: ScreenName; session: StoredSession }) {
  const [more, setMore] = useState<More | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    loadMore().then(setMore, (failure: unknown) => {
      loading = undefined;
      // The app's own file could not be fetched: the phone is offline and has not opened these screens before.
      setError(new NetworkError(String(failure)));
    });
  }, []);
  if (more) {
    const Screen = more[name];
    return <Screen session={session} />;
  }
  return (
    <section class="screen" aria-label={t("status.loading")}>
      <ErrorNotice error={error} />
      <Loading isLoading={!error} />
    </section>
  );
}
