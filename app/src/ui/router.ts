import { useEffect, useState } from "preact/hooks";

export const ROUTES = [
  "login",
  "join",
  "home",
  "barter",
  "barter-history",
  "skill-shares",
  "sisters",
  "remote",
  "tools",
  "caretaking",
  "governance",
  "inbox",
  "defense",
  "sovereignty",
  "decisions",
  "draws",
  "draw",
  "pacts",
  "constitution",
  "assemblies",
  "bloc",
  "organize",
] as const;
export type Route = (typeof ROUTES)[number];

function routeOf(hash: string): Route | undefined {
  const name = hash.replace(/^#\/?/, "").split("?")[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : undefined;
}

/** The screen named in the address (#/home), so the back button and bookmarks work. */
export function useRoute(): Route | undefined {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const changed = () => setRoute(routeOf(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function go(route: Route): void {
  location.hash = `#/${route}`;
}

export const hrefOf = (route: Route) => `#/${route}`;

/** The defense screen opened on one alert, to answer or verify it there. */
export const alertHref = (alertId: string) => `#/defense?alert=${encodeURIComponent(alertId)}`;

/** The alert the address names (alertHref), if any. */
export const alertInAddress = () => new URLSearchParams(location.hash.split("?")[1] ?? "").get("alert") ?? undefined;
