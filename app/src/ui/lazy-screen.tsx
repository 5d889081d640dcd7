import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { StoredSession } from "../api/session.js";
import { ErrorNotice, Loading } from "./feedback.js";

type ScreenComponent = ComponentType<{ session: StoredSession }>;

/**
 * A screen whose code is downloaded only when it is first opened (a separate file the service
 * worker keeps once seen), so the JavaScript before the home screen stays small.
 */
export function lazyScreen(load: () => Promise<ScreenComponent>): ScreenComponent {
  let loaded: ScreenComponent | undefined;
  return function LazyScreen({ session }) {
    const [component, setComponent] = useState<ScreenComponent | undefined>(() => loaded);
    const [error, setError] = useState<unknown>();
    useEffect(() => {
      if (loaded) return;
      let current = true;
      load().then(
        (screen) => {
          loaded = screen;
          if (current) setComponent(() => screen);
        },
        (failure: unknown) => current && setError(failure),
      );
      return () => {
        current = false;
      };
    }, []);
    const Screen = component;
    if (Screen) return <Screen session={session} />;
    return error ? <ErrorNotice error={error} /> : <Loading isLoading />;
  };
}
