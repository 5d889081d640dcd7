import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

/**
 * The member app (app/, built by Vite into app/dist) served by the gateway itself at /app/.
 * The page's policy allows scripts, styles, images, the web manifest and requests from this
 * origin only: no third party learns who opened it, and it works without internet.
 */
export const APP_PATH = "/app";

export const APP_BUILD_DIRECTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../app/dist");

/** At most this many files are kept in memory (the build has a handful). */
const MAX_CACHED_FILES = 200;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json",
};

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Text is sent gzip'd to browsers that accept it: a phone on a slow line downloads a third. */
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".webmanifest", ".json"]);

interface Content {
  raw: Buffer;
  gzip?: Buffer;
}

const cache = new Map<string, Content>();

async function contentOf(file: string): Promise<Content> {
  const cached = cache.get(file);
  if (cached) return cached;
  const raw = await readFile(file);
  const content = { raw, gzip: COMPRESSIBLE.has(path.extname(file)) ? gzipSync(raw, { level: 9 }) : undefined };
  if (cache.size < MAX_CACHED_FILES) cache.set(file, content);
  return content;
}

const acceptsGzip = (request: IncomingMessage) => /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));

/** The built file a path under /app/ names, or undefined when it names none (never outside the build). */
function fileFor(route: string, buildDirectory: string): string | undefined {
  const relative = route === "/" || route === "" ? "index.html" : decodeURIComponent(route.slice(1));
  const file = path.resolve(buildDirectory, relative);
  if (!file.startsWith(buildDirectory + path.sep)) return undefined;
  return TYPES[path.extname(file)] ? file : undefined;
}

/** Serves the request when it is for the app; returns false to let the gateway handle it. */
export function serveApp(
  request: IncomingMessage,
  response: ServerResponse,
  buildDirectory = APP_BUILD_DIRECTORY,
): boolean {
  if (!request.url?.startsWith(APP_PATH)) return false;
  const url = new URL(request.url, "http://gateway");
  if (url.pathname !== APP_PATH && !url.pathname.startsWith(`${APP_PATH}/`)) return false;
  if (url.pathname === APP_PATH) {
    response.writeHead(308, { location: `${APP_PATH}/` }).end();
    return true;
  }
  const plain = { "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS };
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, plain).end("Method not allowed");
    return true;
  }
  if (!existsSync(path.join(buildDirectory, "index.html"))) {
    response.writeHead(503, plain).end("The member app is not built: run npm run build.");
    return true;
  }
  const file = fileFor(url.pathname.slice(APP_PATH.length), buildDirectory);
  if (!file) {
    response.writeHead(404, plain).end("Not found");
    return true;
  }
  contentOf(file).then(
    (content) => {
      // Vite names every asset by its content hash: those never change; the page and manifest may.
      const isHashed = file.includes(`${path.sep}assets${path.sep}`);
      const body = content.gzip && acceptsGzip(request) ? content.gzip : content.raw;
      response.writeHead(200, {
        "content-type": TYPES[path.extname(file)],
        "content-length": body.length,
        ...(body === content.gzip ? { "content-encoding": "gzip" } : {}),
        ...(content.gzip ? { vary: "accept-encoding" } : {}),
        "cache-control": isHashed ? "public, max-age=31536000, immutable" : "no-cache",
        ...SECURITY_HEADERS,
      });
      response.end(request.method === "HEAD" ? undefined : body);
    },
    () => response.writeHead(404, plain).end("Not found"),
  );
  return true;
}
