import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { StoredSession } from "../api/session.js";
import { ErrorNotice, Loading } from "../ui/feedback.js";

type SessionScreen = FunctionComponent<{ session: StoredSession }>;

/**
 * A screen fetched when first opened, so the home screen's script stays small; the service worker
 * keeps the fetched file, so a screen seen once opens offline as well.
 */
function lazyScreen(load: () => Promise<SessionScreen>): SessionScreen {
  let loaded: SessionScreen | undefined;
  return function LazyScreen({ session }) {
    const [Screen, setScreen] = useState<SessionScreen | undefined>(() => loaded);
    const [error, setError] = useState<unknown>();
    useEffect(() => {
      if (Screen) return;
      load()
        .then((screen) => {
          loaded = screen;
          setScreen(() => screen);
        })
        .catch(setError);
    }, []);
    if (Screen) return <Screen session={session} />;
    return error ? <ErrorNotice error={error} /> : <Loading isLoading />;
  };
}

export const BarterHistory = lazyScreen(async () => (await import("./barter-history.js")).BarterHistory);
export const SkillShares = lazyScreen(async () => (await import("./skill-shares.js")).SkillShares);
export const SisterCircles = lazyScreen(async () => (await import("./sister-circles.js")).SisterCircles);
export const RemoteExchanges = lazyScreen(async () => (await import("./remote-exchanges.js")).RemoteExchanges);
