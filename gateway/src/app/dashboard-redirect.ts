import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The organizer dashboard is the organizers' part of the app: its old address sends there, so
 * bookmarks keep working.
 */
export const DASHBOARD_PATH = "/dashboard";
export const ORGANIZER_SCREEN = "/app/#/organize";

/** Redirects /dashboard and anything under it to the app's organizer screen; returns false for other paths. */
export function redirectDashboard(request: IncomingMessage, response: ServerResponse): boolean {
  if (!request.url?.startsWith(DASHBOARD_PATH)) return false;
  const { pathname } = new URL(request.url, "http://gateway");
  if (pathname !== DASHBOARD_PATH && !pathname.startsWith(`${DASHBOARD_PATH}/`)) return false;
  response.writeHead(308, { location: ORGANIZER_SCREEN, "cache-control": "no-cache" }).end();
  return true;
}
