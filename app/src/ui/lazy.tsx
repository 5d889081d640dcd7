import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n/i18n.js";

/**
 * A screen whose code is downloaded the first time it is opened (a separate chunk), so what it
 * needs (chart.js for the organizers' figures) never weighs on the member's home screen. Once
 * opened, the service worker keeps the chunk for offline use like the rest of the app.
 */
export function lazyScreen<Props extends object>(load: () => Promise<ComponentType<Props>>): ComponentType<Props> {
  let loaded: ComponentType<Props> | undefined;
  return function LazyScreen(props: Props) {
    const [screen, setScreen] = useState<ComponentType<Props> | undefined>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let current = true;
      load().then(
        (component) => {
          loaded = component;
          if (current) setScreen(() => component);
        },
        () => current && setFailed(true),
      );
      return () => {
        current = false;
      };
    }, []);
    if (failed)
      return (
        <p class="notice notice-error" role="alert">
          {t("error.network")}
        </p>
      );
    if (!screen)
      return (
        <p class="muted" role="status">
          {t("status.loading")}
        </p>
      );
    const Screen = screen;
    return <Screen {...props} />;
  };
}
