import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The organizer dashboard (S4): static files served by the gateway itself at /dashboard, with the
 * chart library read from its npm package. Nothing is built and nothing comes from elsewhere: the
 * page's policy allows scripts, styles, fonts and requests from this origin only, so a member's
 * browser tells no third party it visited, and the hub works offline.
 */
export const DASHBOARD_PATH = "/dashboard";

const DASHBOARD_DIRECTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dashboard");
const require = createRequire(import.meta.url);

/** Every file the dashboard serves: its path under /dashboard, and where it is read from. */
const FILES: Record<string, { file: () => string; type: string }> = {
  "/": { file: () => path.join(DASHBOARD_DIRECTORY, "index.html"), type: "text/html; charset=utf-8" },
  "/app.js": { file: () => path.join(DASHBOARD_DIRECTORY, "app.js"), type: "text/javascript; charset=utf-8" },
  "/i18n.js": { file: () => path.join(DASHBOARD_DIRECTORY, "i18n.js"), type: "text/javascript; charset=utf-8" },
  "/style.css": { file: () => path.join(DASHBOARD_DIRECTORY, "style.css"), type: "text/css; charset=utf-8" },
  // The package exports only its module entries; its browser bundle sits beside the CommonJS one.
  "/vendor/chart.umd.min.js": {
    file: () => path.join(path.dirname(require.resolve("chart.js")), "chart.umd.min.js"),
    type: "text/javascript; charset=utf-8",
  },
};

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const cache = new Map<string, Buffer>();

async function contentOf(route: string): Promise<Buffer> {
  const cached = cache.get(route);
  if (cached) return cached;
  const content = await readFile(FILES[route].file());
  cache.set(route, content);
  return content;
}

/** Serves the request when it is for the dashboard; returns false to let the gateway handle it. */
export function serveDashboard(request: IncomingMessage, response: ServerResponse): boolean {
  if (!request.url?.startsWith(DASHBOARD_PATH)) return false;
  const url = new URL(request.url, "http://gateway");
  if (url.pathname !== DASHBOARD_PATH && !url.pathname.startsWith(`${DASHBOARD_PATH}/`)) return false;
  if (url.pathname === DASHBOARD_PATH) {
    response.writeHead(308, { location: `${DASHBOARD_PATH}/` }).end();
    return true;
  }
  const route = url.pathname.slice(DASHBOARD_PATH.length);
  const entry = FILES[route];
  if (!entry || (request.method !== "GET" && request.method !== "HEAD")) {
    response
      .writeHead(entry ? 405 : 404, { "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS })
      .end(entry ? "Method not allowed" : "Not found");
    return true;
  }
  contentOf(route).then(
    (content) => {
      response.writeHead(200, {
        "content-type": entry.type,
        "content-length": content.length,
        "cache-control": "no-cache",
        ...SECURITY_HEADERS,
      });
      response.end(request.method === "HEAD" ? undefined : content);
    },
    () => response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found"),
  );
  return true;
}
