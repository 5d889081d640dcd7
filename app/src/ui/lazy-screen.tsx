import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ErrorNotice, Loading } from "./feedback.js";

/**
 * A screen whose code is downloaded only when it is first opened (a separate file the service
 * worker keeps once seen), so what it needs (chart.js for the organizers' figures, say) never
 * weighs on the JavaScript before the home screen.
 */
export function lazyScreen<Props extends object>(load: () => Promise<ComponentType<Props>>): ComponentType<Props> {
  let loaded: ComponentType<Props> | undefined;
  return function LazyScreen(props: Props) {
    const [component, setComponent] = useState<ComponentType<Props> | undefined>(() => loaded);
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
    if (Screen) return <Screen {...props} />;
    return error ? <ErrorNotice error={error} /> : <Loading isLoading />;
  };
}
